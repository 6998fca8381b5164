"""One Chinese word, one English word across the apps' catalogues: Django takes the first app's
translation of a msgid for every page, so a word one app means differently carries a context
(units' change list says 删除 "Removed", the buttons everywhere else say "Delete")."""

from django.utils import translation
from django.utils.translation import gettext, pgettext


def test_the_buttons_read_delete_and_edit_on_every_page_and_the_tenant_change_list_says_removed():
    with translation.override("en"):
        assert gettext("删除") == "Delete"
        assert gettext("修改") == "Edit"
        assert pgettext("tenant change", "删除") == "Removed"
        assert pgettext("tenant change", "修改") == "Changed"
        assert pgettext("tenant change", "新增") == "Added"
    with translation.override("zh-hans"):
        assert gettext("删除") == "删除" and pgettext("tenant change", "删除") == "删除"

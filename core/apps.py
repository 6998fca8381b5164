from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("平台公共")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from core import citations

        # Citations name documents as the stored rule sets do; a change reaches every process.
        post_save.connect(citations.forget, sender="rules.RuleSet", dispatch_uid="core.citations.saved")
        post_delete.connect(citations.forget, sender="rules.RuleSet", dispatch_uid="core.citations.deleted")

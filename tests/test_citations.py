"""Citations people read (core/citations.py, ``{% load citations %}``): a seed file's name becomes
the 文号 and title of the document as the stored rule sets name it — the page's own tenant's first —
or as core/seed_documents.json does when no rule set has the file; a rule set is named by its name
and version, never its code; the rule sets are read once, again only after one changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from core import citations
from rules.models import RuleSet

pytestmark = pytest.mark.django_db

ZHENGZHOU = "000_09f0e4863c323892.txt"
COMPILATION = "002_743bb57fc6424707.txt"  # Tangshan's and the Bingtuan's rule sets both rest on it


def render(source: str, context=None, template: str = "{{ source|citation:context }}") -> str:
    return Template("{% load citations %}" + template).render(Context({"source": source, "context": context}))


def test_it_names_the_document_by_its_number_and_title_with_the_clause():
    assert render(f"{ZHENGZHOU} 五(一)") == "《郑州市初级职称（员级、助理级）考核认定》（郑人社办〔2020〕237号）五(一)"
    assert render(f"{ZHENGZHOU} 五(一)", template="{{ source|citation_short }}") == "郑人社办〔2020〕237号 五(一)"
    # Every file in a text is replaced; text without one is left alone.
    text = "已上传审批表（004_318552047dacbbf4.txt 四(一)）"
    assert citations.cite(text, short=True) == "已上传审批表（湖职指发〔2020〕1号 四(一)）"
    assert citations.cite("豫价费字〔1997〕180号") == "豫价费字〔1997〕180号"


def test_a_compilation_is_named_as_the_pages_own_rule_set_names_it():
    tangshan = citations.cite(f"{COMPILATION} 第一篇 第九条", "hebei-2024", short=True)
    assert tangshan == "冀职改字〔2024〕3号 第一篇 第九条"
    bingtuan = RuleSet.objects.filter(code="bingtuan-initial").values_list("document_number", flat=True).first()
    assert citations.cite(f"{COMPILATION} 二", "bingtuan-division", short=True) == f"{bingtuan} 二"
    # Without a context the rule sets disagree: the shipped description of the compilation.
    assert citations.cite(f"{COMPILATION} 二", short=True) == "《唐山市、河北省、兵团职称申报推荐文件汇编》 二"


def test_a_file_no_rule_set_names_is_looked_up_in_the_shipped_list_and_an_unknown_one_is_dropped():
    RuleSet.objects.filter(source_document=ZHENGZHOU).delete()
    assert citations.cite(f"{ZHENGZHOU} 七", short=True) == "郑人社办〔2020〕237号 七"
    assert citations.cite("999_0123456789abcdef.txt 三") == "三"


def test_it_names_a_rule_set_by_name_and_version_never_by_its_code():
    named = citations.ruleset_named("zhengzhou-2020-junior", 1)
    assert named == "郑州市初级职称（员级、助理级）考核认定（郑人社办〔2020〕237号，第1版）"
    assert "zhengzhou-2020-junior" not in named
    assert citations.ruleset_named("no-such-code-2020", 3) == "第3版"


def test_it_reads_the_rule_sets_once_and_again_after_one_changes():
    citations.cite(f"{ZHENGZHOU} 五")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            citations.cite(f"{ZHENGZHOU} 五")
    assert len(queries) == 0
    luoyang = "005_0123456789abcdef.txt"
    assert citations.cite(f"{luoyang} 三") == "三"
    # A rule set saved (as the authoring pages save a draft) is read at the next citation.
    RuleSet.objects.create(
        code="luoyang-2026", tenant_code="luoyang", version=1, name="洛阳市初级职称考核认定",
        source_document=luoyang, document_number="洛人社〔2026〕1号", data={},
    )
    assert citations.cite(f"{luoyang} 三", short=True) == "洛人社〔2026〕1号 三"

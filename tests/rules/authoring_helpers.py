"""Shared pieces of the rule-set authoring specifications: a Kunming Panlong admin, a draft of the
shipped rule set, and the case the issue is about (four months of social insurance)."""

from __future__ import annotations

import copy
import io

from accounts.models import Role
from rules.models import RuleSet
from tests.factories import OrganisationFactory, TenantFactory, UserFactory
from tests.rules.helpers import base_profile

CODE = "kunming-panlong-2024q3"


def make_admin(code: str = "kunming-panlong", name: str = "昆明市盘龙区", role: str = Role.TENANT_ADMIN):
    tenant = TenantFactory(code=code, name=name)
    return UserFactory(role=role, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))


def four_months_case(name: str = "社保满4个月可以申报") -> dict:
    return {
        "name": name,
        "profile": base_profile(employment__social_insurance_months_in_region=4),
        "expected": {"eligible": True, "level": "assistant", "earliest_eligible_on": None},
    }


def with_social_insurance_months(data: dict, months: int) -> dict:
    out = copy.deepcopy(data)
    check = next(c for c in out["checks"] if c["kind"] == "social_insurance")
    check["min_months"] = months
    check["label"] = f"申报日之前在昆明连续缴纳{months}个月社保（硕士及以上学历满足最近1个月）"
    return out


def social_insurance_index(data: dict) -> int:
    return next(i for i, c in enumerate(data["checks"]) if c["kind"] == "social_insurance")


def pdf_upload(name: str = "盘人社〔2025〕5号.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


class _FormValues:
    """The values a browser would send for the form whose class contains ``css_class``: text,
    number and hidden inputs, checked boxes, selected options, textareas."""

    def __init__(self, html: str, css_class: str) -> None:
        from html.parser import HTMLParser

        values: list[tuple[str, str]] = []
        state = {"inside": False, "select": None, "selected": False, "first": None, "textarea": None, "text": ""}

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "form" and css_class in (a.get("class") or "").split():
                    state["inside"] = True
                if not state["inside"]:
                    return
                if tag == "input" and a.get("name") and a.get("name") != "csrfmiddlewaretoken":
                    if a.get("type") == "checkbox":
                        if "checked" in a:
                            values.append((a["name"], a.get("value", "on")))
                    else:
                        values.append((a["name"], a.get("value") or ""))
                elif tag == "select":
                    state.update(select=a.get("name"), selected=False, first=None)
                elif tag == "option" and state["select"]:
                    if state["first"] is None:
                        state["first"] = a.get("value", "")
                    if "selected" in a:
                        values.append((state["select"], a.get("value", "")))
                        state["selected"] = True
                elif tag == "textarea":
                    state.update(textarea=a.get("name"), text="")

            def handle_endtag(self, tag):
                if not state["inside"]:
                    return
                if tag == "select" and state["select"]:
                    if not state["selected"]:
                        values.append((state["select"], state["first"] or ""))
                    state["select"] = None
                elif tag == "textarea" and state["textarea"]:
                    values.append((state["textarea"], state["text"].removeprefix("\n")))
                    state["textarea"] = None
                elif tag == "form":
                    state["inside"] = False

            def handle_data(self, data):
                if state["textarea"]:
                    state["text"] += data

        Parser(convert_charrefs=True).feed(html)
        self.values = values

    def as_post(self, **changes: str) -> dict[str, list[str]]:
        post: dict[str, list[str]] = {}
        for name, value in self.values:
            post.setdefault(name, []).append(value)
        for name, value in changes.items():
            post[name] = [value]
        return post


def form_values(html: str, css_class: str = "clause-form") -> _FormValues:
    return _FormValues(html, css_class)


def policy_document_for(rule_set: RuleSet):
    """A policy PDF attached to ``rule_set`` (the isolation matrix reaches its download with it)."""
    from django.core.files.base import ContentFile

    from rules.models import PolicyDocument

    document = PolicyDocument(tenant_code=rule_set.tenant_code, title="政策文件", original_name="policy.pdf",
                              size=14, pages=1, sha256="0" * 64)
    document.file.save("policy.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    document.save()
    document.rule_sets.add(rule_set)
    return document

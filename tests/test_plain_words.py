"""People read plain Chinese: no page shows an internal code.

Every demo role of several tenants (``load_demo``) opens every page it can reach without
parameters, and the detail pages of a submitted demo application, and none of them shows in its
visible text (tags, attributes, scripts and styles removed) a seed file name, an ISO timestamp or
date, a rule-set code, Django's empty choice ``---------`` or a raw level or series code; and no
page cites another city's document.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import Role, User
from rules.engine import vocab
from rules.models import RuleSet
from tests.test_isolation import all_routes, parameters
from units.demo import load_demo
from units.models import Tenant

pytestmark = pytest.mark.django_db

TENANTS = ("zhengzhou", "xuchang", "huzhou", "kunming-panlong")

# Not pages people read: files, exports, the API, redirects and forms that only take a POST.
SKIPPED = {
    "healthz",
    "favicon",
    "set_language",
    "accounts:logout",
    "schema",
    "api-docs",
    "units:roster_template",
    "review:queue_export",
    "review:statistics_export",
    "review:integrity_export",
    "review:bulk_approve",
    "committees:expert_import_template",
    "notifications:mark_read",
}

NOT_OURS: set[str] = set()
NOT_OURS_PAGES: set[str] = set()

SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
PADDED_DATE = re.compile(r"\d{4}年0\d月|(?<!\d)\d{1,2}月0\d日")  # 2027年03月05日: people write 2027年3月5日
RULESET_CODE = re.compile(r"\b[a-z]+(-[a-z0-9]+)+-\d{4}")
EMPTY_CHOICE = "---------"
RAW_CODES = sorted(set(vocab.LEVELS) | set(vocab.SERIES), key=len, reverse=True)
RAW_CODE = re.compile(r"(?<![A-Za-z0-9_./-])(" + "|".join(RAW_CODES) + r")(?![A-Za-z0-9_./-])")
# A slot, field or vocabulary code (``appointment_letters``); a file name (``x_y.pdf``) is not one.
SNAKE_CODE = re.compile(r"(?<![A-Za-z0-9_./@-])[a-z]+(?:_[a-z0-9]+)+(?![A-Za-z0-9_./-])")

# Each seeded city's own documents; a page of one tenant cites no other city's.
DOCUMENT_NUMBERS = {
    "zhengzhou": "郑人社办〔2020〕237号",
    "xuchang": "许职改办〔2023〕21号",
    "huzhou": "湖职指发〔2020〕1号",
    "tangshan": "冀职改字〔2024〕3号",
}


class VisibleText(HTMLParser):
    """The text a person sees: no tags, attributes, scripts, styles or templates."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def problems(text: str, tenant_code: str, codes: set[str]) -> list[str]:
    found = []
    for pattern, what in (
        (SEED_FILE, "依据文件的文件名"),
        (ISO_TIMESTAMP, "ISO 时间"),
        (ISO_DATE, "ISO 日期"),
        (PADDED_DATE, "补零的日期"),
        (RULESET_CODE, "规则集代码"),
        (RAW_CODE, "级别或系列代码"),
        (SNAKE_CODE, "内部代码"),
    ):
        for match in pattern.finditer(text):
            found.append(f"{what}: …{text[max(0, match.start() - 30):match.end() + 10]}…")
    if EMPTY_CHOICE in text:
        found.append("空选项 ---------")
    for code in codes:
        if re.search(rf"(?<![A-Za-z0-9_-]){re.escape(code)}(?![A-Za-z0-9_-])", text):
            found.append(f"规则集代码 {code}")
    for other, number in DOCUMENT_NUMBERS.items():
        if tenant_code and other != tenant_code and number in text:
            found.append(f"别的城市的文件 {number}")
    return found


def photo_upload():
    import io
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (330, 450), os.urandom(330 * 450 * 3)).save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("证件照.jpg", buffer.getvalue(), content_type="image/jpeg")


# The level each demo applicant files at: Xuchang's and Huzhou's rule sets govern 中级 (by review).
LEVELS = {"xuchang": "intermediate", "huzhou": "intermediate"}


def submitted_application(tenant_code: str):
    """The demo applicant's application, filed through the real services in an open window."""
    from datetime import date

    from django.core.exceptions import ValidationError

    from applications import materials
    from applications import services as filing
    from applications.models import ContinuingEducation, TitleHeld
    from tests.applications.helpers import IN_WINDOW, eligible_record, open_window, pdf_upload

    applicant = User.objects.get(role=Role.APPLICANT, tenant__code=tenant_code)
    open_window(tenant_code)
    eligible_record(applicant)
    level = LEVELS.get(tenant_code, "assistant")
    if level == "intermediate":
        TitleHeld.objects.create(
            person=applicant, series="engineering", level="assistant", name="助理工程师",
            obtained_on=date(2019, 9, 1), appointed_on=date(2019, 12, 31),
        )
        ContinuingEducation.objects.create(person=applicant, year=2022, hours=90)
    application = filing.application_create(actor=applicant, series="engineering", level=level, at=IN_WINDOW)
    filing.application_save_draft(
        actor=applicant,
        application=application,
        data={
            "specialty": "建筑工程",
            "self_statement": "本人自参加工作以来，认真履行岗位职责。" * 5,
            "main_achievements": "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 25,
        },
    )
    slots, _ = materials.checklist(application)
    for slot in slots:
        if slot.required:
            try:
                filing.application_upload(
                    actor=applicant, application=application, slot=slot.id, upload=pdf_upload(f"{slot.name}.pdf")
                )
            except ValidationError:  # a photo: a JPG of 330×450 pixels and more than 30 KB
                filing.application_upload(
                    actor=applicant, application=application, slot=slot.id, upload=photo_upload()
                )
    filing.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    filing.application_submit(actor=applicant, application=application, at=IN_WINDOW)
    application.refresh_from_db()
    return application


DETAIL_ROUTES = (
    "applications:detail",
    "applications:status",
    "applications:revisions",
    "applications:precheck",
    "applications:unit_materials",
    "review:detail",
    "certificates:application_documents",
)


def page_urls(application) -> list[tuple[str, str]]:
    urls = [
        (name, reverse(name))
        for name, route in all_routes()
        if not parameters(route)
        and name not in SKIPPED
        and not route.startswith("api/")
        and name.split(":")[0] not in NOT_OURS
        and name not in NOT_OURS_PAGES
    ]
    if application is not None:
        urls += [(name, reverse(name, kwargs={"pk": application.pk})) for name in DETAIL_ROUTES]
    return urls


def read_pages(client, users, urls, tenant_code, codes) -> list[tuple]:
    found = []
    for user in users:
        client.force_login(user)
        for name, url in urls:
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            for problem in problems(visible_text(response.content.decode()), tenant_code, codes):
                found.append((user.username or user.get_role_display(), name, problem))
        client.logout()
    return found


def report(found: list[tuple]) -> str:
    """One line per page and problem, with the roles that saw it."""
    seen: dict[tuple[str, str], list[str]] = {}
    for who, name, problem in found:
        seen.setdefault((name, problem), []).append(who)
    return "\n".join(f"{name}: {problem} ({', '.join(who)})" for (name, problem), who in seen.items())


@pytest.mark.parametrize("tenant_code", TENANTS)
def test_no_page_shows_an_internal_code_to_any_role(client, tenant_code):
    load_demo()
    User.objects.filter(role=Role.APPLICANT).update(must_change_password=False)
    tenant = Tenant.objects.get(code=tenant_code)
    application = submitted_application(tenant_code)
    codes = set(RuleSet.objects.values_list("code", flat=True))
    users = list(User.objects.filter(tenant=tenant, is_active=True).order_by("role", "id"))
    assert {user.role for user in users} >= set(Role.values) - {Role.PLATFORM_ADMIN}
    found = read_pages(client, users, page_urls(application), tenant_code, codes)
    assert not found, report(found)


def through_the_chain(application, action, *, problems=()):
    """``action`` at every level that holds the application, by the tenant's demo staff, in order."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404

    from review.services import review_decide
    from tests.applications.helpers import IN_WINDOW, supply_unit_materials

    if not application.files.filter(supplied_by_unit=True).exists():
        supply_unit_materials(application)
    suffixes = ("unit-head", "department", "county", "city")
    for suffix in suffixes:
        actor = User.objects.get(username=f"{application.tenant.code}-{suffix}")
        try:
            review_decide(actor=actor, application=application, action=action, opinion="意见。", problems=problems,
                          at=IN_WINDOW)
        except (PermissionDenied, ValidationError, Http404):
            continue
        application.refresh_from_db()
        if action != "approve" or application.status == application.Status.APPROVED:
            return application
    return application


def test_a_returned_resubmitted_and_certified_application_reads_plainly_on_every_page(
    client, django_capture_on_commit_callbacks
):
    from applications import services as filing
    from certificates import rosters
    from certificates import services as certifying
    from certificates.models import DocumentJob
    from tests.applications.helpers import IN_WINDOW

    load_demo()
    User.objects.filter(role=Role.APPLICANT).update(must_change_password=False)
    tenant = Tenant.objects.get(code="zhengzhou")
    codes = set(RuleSet.objects.values_list("code", flat=True))
    users = list(User.objects.filter(tenant=tenant, is_active=True).order_by("role", "id"))
    application = submitted_application("zhengzhou")
    slot = application.files.filter(supplied_by_unit=False).values_list("slot", flat=True).first()
    through_the_chain(application, "return", problems=[
        {"target": "field:main_achievements", "message": "业绩写得不具体"},
        {"target": f"slot:{slot}", "message": "扫描件不清晰"},
    ])
    assert application.status == application.Status.RETURNED
    returned = [(name, reverse(name, kwargs={"pk": application.pk})) for name in DETAIL_ROUTES]
    found = read_pages(client, users, returned, "zhengzhou", codes)

    filing.application_save_draft(actor=application.applicant, application=application,
                                  data={"main_achievements": "负责多项市政工程的施工技术管理。" * 30})
    filing.application_submit(actor=application.applicant, application=application, at=IN_WINDOW)
    application.refresh_from_db()
    through_the_chain(application, "approve")
    assert application.status == application.Status.APPROVED
    certificate, _ = certifying.certificate_create(application_id=application.pk)
    with django_capture_on_commit_callbacks(execute=True):
        job = rosters.window_document_request(
            actor=User.objects.get(username="zhengzhou-city"), tenant=tenant, kind=DocumentJob.Kind.ROSTER,
            window_name=application.window_name, level=application.level,
        )
    certified = [
        *page_urls(application),
        ("applications:revisions", reverse("applications:revisions", kwargs={"pk": application.pk})),
        ("certificates:window_job", reverse("certificates:window_job", kwargs={"pk": job.pk})),
        ("certificates:verify", reverse("certificates:verify", kwargs={"token": certificate.token})),
    ]
    found += read_pages(client, users, certified, "zhengzhou", codes)
    response = client.get(reverse("certificates:verify", kwargs={"token": certificate.token}))
    found += [("公众", "certificates:verify", p) for p in problems(visible_text(response.content.decode()), "", codes)]
    assert not found, report(found)


def test_no_page_shows_an_internal_code_to_the_platform_administrator(client):
    load_demo()
    codes = set(RuleSet.objects.values_list("code", flat=True))
    admin = User.objects.get(username="platform-admin")
    found = read_pages(client, [admin], page_urls(None), "", codes)
    assert not found, report(found)

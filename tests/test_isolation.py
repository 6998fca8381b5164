"""Tenant isolation: every URL pattern and API route, for every role of one tenant, answers 404
for objects of another tenant or another organisation, and no page leaks another tenant's data.

A new parameterised route fails ``test_it_knows_how_to_reach_every_parameterised_route`` until it
is added to FOREIGN_KWARGS, so no route escapes the matrix.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import Workbook

from accounts.models import Role, User
from rules.models import RuleSet
from tests.certificates.helpers import batch_for, certificate_for, document_job_for, fee_for, window_job_for
from tests.committees.helpers import isolation_objects as committee_objects
from tests.review.procedure_helpers import objection_for, procedure_for
from tests.rules.authoring_helpers import policy_document_for
from units.demo import load_demo
from units.models import Organisation, RegistrationDocument, RosterImport, Tenant

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "home",
    "healthz",
    "accounts:login",
    "accounts:logout",
    "units:register",
    "schema",
    "api-docs",
    "set_language",
    "certificates:verify_lookup",
    "certificates:verify_upload",
    "certificates_api:verify",
}


def all_routes() -> list[tuple[str, str]]:
    """(name, route) of every named URL pattern, namespaces joined with ':'."""
    found: list[tuple[str, str]] = []

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((f"{namespace}{pattern.name}", prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return found


# Public by design: a certificate's verification page answers anyone who holds its token
# (tests/certificates/test_certificates.py shows it reveals only masked data).
PUBLIC_PARAMETERISED = {"certificates:verify"}


def parameters(route: str) -> bool:
    return "<" in route or "(?P<" in route


def world():
    load_demo()
    home = Tenant.objects.get(code="zhengzhou")
    foreign = Tenant.objects.get(code="xuchang")
    User.objects.filter(role=Role.APPLICANT).update(must_change_password=False)
    return home, foreign


def document_for(unit: Organisation) -> RegistrationDocument:
    return RegistrationDocument.objects.create(
        organisation=unit,
        title="营业执照",
        file=SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n%%EOF"),
        original_name="licence.pdf",
        content_type="application/pdf",
        size=14,
    )


def roster_for(unit: Organisation) -> RosterImport:
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploader = unit.people.filter(role=Role.UNIT_HANDLER).first() or User.objects.get(username="platform-admin")
    return RosterImport.objects.create(
        unit=unit,
        uploaded_by=uploader,
        original_name="roster.xlsx",
        file=SimpleUploadedFile("roster.xlsx", buffer.getvalue()),
    )


def filing_for(applicant: User) -> dict:
    """A submitted application with a file, an archive entry and a record entry of ``applicant``."""
    from applications.models import (
        Achievement,
        Application,
        ApplicationFile,
        Attachment,
        EducationEntry,
        ExceptionalPromotionApproval,
    )

    attachment = Attachment.objects.create(
        owner=applicant,
        file=SimpleUploadedFile("diploma.pdf", b"%PDF-1.4\n%%EOF"),
        original_name="diploma.pdf",
        content_type="application/pdf",
        size=14,
        sha256="0" * 64,
    )
    application = Application.objects.create(
        applicant=applicant,
        tenant_id=applicant.tenant_id,
        unit_id=applicant.organisation_id,
        series="engineering",
        level="assistant",
        ruleset_code="zhengzhou-2020-junior",
        status=Application.Status.SUBMITTED,
    )
    return {
        "application": application,
        "application_file": ApplicationFile.objects.create(
            application=application, slot="diploma", attachment=attachment
        ),
        "attachment": attachment,
        "exceptional_approval": ExceptionalPromotionApproval.objects.create(
            application=application, attachment=attachment
        ),
        "achievement": Achievement.objects.create(
            person=applicant, kind="paper", title="论文", achieved_on="2024-01-01", proof=attachment
        ),
        "education": EducationEntry.objects.create(
            person=applicant,
            level="bachelor",
            school="大学",
            major="土木",
            graduated_on="2022-06-30",
            diploma=attachment,
        ),
    }


def foreign_objects(tenant: Tenant) -> dict:
    """Objects of one tenant that the other tenant's users must never reach."""
    pending = Organisation.objects.get(tenant=tenant, status=Organisation.Status.PENDING)
    school = Organisation.objects.get(tenant=tenant, name__endswith="第一中学")
    return {
        "pending_unit": pending,
        "document": document_for(pending),
        "applicant": User.objects.get(tenant=tenant, role=Role.APPLICANT),
        "roster": roster_for(school),
        "tenant": tenant,
        "organisation": school,
        "rule_set": (rule_set := RuleSet.objects.filter(tenant_code=tenant.code).first()),
        "policy_document": policy_document_for(rule_set),
        **(filing := filing_for(User.objects.get(tenant=tenant, role=Role.APPLICANT))),
        "document_job": document_job_for(filing["application"]),
    }


# How to build each parameterised route's kwargs from the foreign objects.
FOREIGN_KWARGS = {
    "units:registration_detail": lambda o: {"pk": o["pending_unit"].pk},
    "units:registration_document": lambda o: {"pk": o["pending_unit"].pk, "document_pk": o["document"].pk},
    "units:person_detail": lambda o: {"pk": o["applicant"].pk},
    "units:person_reveal": lambda o: {"pk": o["applicant"].pk},
    "units:person_reset_password": lambda o: {"pk": o["applicant"].pk},
    "units:person_green_channel": lambda o: {"pk": o["applicant"].pk},
    "units:roster_import_status": lambda o: {"pk": o["roster"].pk},
    "tenant-detail": lambda o: {"pk": o["tenant"].pk},
    "organisation-detail": lambda o: {"pk": o["organisation"].pk},
    "registration-detail": lambda o: {"pk": o["pending_unit"].pk},
    "registration-decide": lambda o: {"pk": o["pending_unit"].pk},
    "applicant-detail": lambda o: {"pk": o["applicant"].pk},
    "roster-import-detail": lambda o: {"pk": o["roster"].pk},
    "rules:ruleset_detail": lambda o: {"pk": o["rule_set"].pk},
    "rules:draft_start": lambda o: {"pk": o["rule_set"].pk},
    "rules:draft_edit": lambda o: {"pk": o["rule_set"].pk},
    "rules:clause_new": lambda o: {"pk": o["rule_set"].pk},
    "rules:clause_edit": lambda o: {"pk": o["rule_set"].pk, "index": 0},
    "rules:clause_delete": lambda o: {"pk": o["rule_set"].pk, "index": 0},
    "rules:json_edit": lambda o: {"pk": o["rule_set"].pk},
    "rules:json_download": lambda o: {"pk": o["rule_set"].pk},
    "rules:document_upload": lambda o: {"pk": o["rule_set"].pk},
    "rules:document_download": lambda o: {"pk": o["rule_set"].pk, "document_pk": o["policy_document"].pk},
    "rules:document_detach": lambda o: {"pk": o["rule_set"].pk, "document_pk": o["policy_document"].pk},
    "rules:bench": lambda o: {"pk": o["rule_set"].pk},
    "rules:case_delete": lambda o: {"pk": o["rule_set"].pk, "index": 0},
    "rules:publish": lambda o: {"pk": o["rule_set"].pk},
    "rules:draft_delete": lambda o: {"pk": o["rule_set"].pk},
    "rules:compare": lambda o: {"pk": o["rule_set"].pk},
    "rules:history": lambda o: {"pk": o["rule_set"].pk},
    "rules_api:version": lambda o: {"pk": o["rule_set"].pk},
    "rules_api:draft_create": lambda o: {"pk": o["rule_set"].pk},
    "rules_api:bench": lambda o: {"pk": o["rule_set"].pk},
    "rules_api:case_create": lambda o: {"pk": o["rule_set"].pk},
    "rules_api:publish": lambda o: {"pk": o["rule_set"].pk},
    "rules_api:materials": lambda o: {"code": o["rule_set"].code},
    "applications:record_entry_delete": lambda o: {"kind": "education", "pk": o["education"].pk},
    "applications:record_entry_edit": lambda o: {"kind": "education", "pk": o["education"].pk},
    "applications:detail": lambda o: {"pk": o["application"].pk},
    "applications:autosave": lambda o: {"pk": o["application"].pk},
    "applications:upload": lambda o: {"pk": o["application"].pk},
    "applications:file_remove": lambda o: {"pk": o["application"].pk, "file_pk": o["application_file"].pk},
    "applications:precheck": lambda o: {"pk": o["application"].pk},
    "applications:pledge": lambda o: {"pk": o["application"].pk},
    "applications:submit": lambda o: {"pk": o["application"].pk},
    "applications:status": lambda o: {"pk": o["application"].pk},
    "applications:revisions": lambda o: {"pk": o["application"].pk},
    "applications:download": lambda o: {"pk": o["attachment"].pk},
    "applications:unit_achievement_decide": lambda o: {"pk": o["achievement"].pk},
    "applications:reuse_scan": lambda o: {"pk": o["application"].pk},
    "applications:unit_materials": lambda o: {"pk": o["application"].pk},
    "applications:unit_material_remove": lambda o: {"pk": o["application"].pk, "file_pk": o["application_file"].pk},
    "applications:exceptional_decide": lambda o: {"pk": o["exceptional_approval"].pk},
    "certificates:application_documents": lambda o: {"pk": o["application"].pk},
    "certificates:document_request": lambda o: {"pk": o["application"].pk},
    "certificates:job_status": lambda o: {"pk": o["document_job"].pk},
    "certificates:download": lambda o: {"pk": o["document_job"].pk},
    "certificates:window_job": lambda o: {"pk": window_job_for(o["tenant"]).pk},
    "certificates:window_job_status": lambda o: {"pk": window_job_for(o["tenant"]).pk},
    "certificates:window_job_download": lambda o: {"pk": window_job_for(o["tenant"]).pk},
    "certificates_api:document_request": lambda o: {"pk": o["application"].pk},
    "certificates_api:job_detail": lambda o: {"pk": o["document_job"].pk},
    "application-detail": lambda o: {"pk": o["application"].pk},
    "application-checklist": lambda o: {"pk": o["application"].pk},
    "application-upload": lambda o: {"pk": o["application"].pk},
    "application-reuse-scan": lambda o: {"pk": o["application"].pk},
    "application-precheck": lambda o: {"pk": o["application"].pk},
    "application-pledge": lambda o: {"pk": o["application"].pk},
    "application-submit": lambda o: {"pk": o["application"].pk},
    "achievement-detail": lambda o: {"pk": o["achievement"].pk},
    "achievement-decide": lambda o: {"pk": o["achievement"].pk},
    "review:detail": lambda o: {"pk": o["application"].pk},
    "review:decide": lambda o: {"pk": o["application"].pk},
    "review:entrusted": lambda o: {"pk": o["application"].pk},
    "review:entrusted_consent": lambda o: {"pk": o["application"].pk},
    "review:entrusted_result": lambda o: {"pk": o["application"].pk},
    "review:entrusted_letter": lambda o: {"pk": o["application"].pk},
    "review:entrusted_result_document": lambda o: {"pk": o["application"].pk},
    "review:appeal_lodge": lambda o: {"pk": o["application"].pk},
    "review:appeal_decide": lambda o: {"pk": o["application"].pk},
    "review:publicity_sheet_dates": lambda o: {"pk": o["application"].pk},
    "review:exceptional_appraisal": lambda o: {"pk": o["exceptional_approval"].pk},
    "review_api:decide": lambda o: {"pk": o["application"].pk},
    "review:integrity_lift": lambda o: {"pk": integrity_finding_for(o["applicant"]).pk},
    "review:unit_group": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_scores": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_quota": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_publicity": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_publicity_close": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_sheet": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_document": lambda o: {"pk": procedure_for(o["application"]).pk, "code": "scoring_sheet"},
    "review:unit_objection_lodge": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_recommend": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_procedure": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_members": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_candidates": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_scores": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_quota": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_publicity": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_objections": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_close": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review_api:unit_recommend": lambda o: {"pk": procedure_for(o["application"]).pk},
    "review:unit_objection_resolve": lambda o: {"pk": objection_for(o["application"]).pk},
    "review_api:unit_objection_resolve": lambda o: {"pk": objection_for(o["application"]).pk},
    "review:unit_dispatch_approve": lambda o: {"pk": o["application"].pk},
    "review_api:unit_dispatch_approve": lambda o: {"pk": o["application"].pk},
    "certificates:certificate_download": lambda o: {"pk": certificate_for(o["application"]).pk},
    "certificates:certificate_revoke": lambda o: {"pk": certificate_for(o["application"]).pk},
    "certificates:certificate_reissue": lambda o: {"pk": certificate_for(o["application"]).pk},
    "certificates:fee_paid": lambda o: {"pk": fee_for(o["application"]).pk},
    "certificates_api:certificate_detail": lambda o: {"pk": certificate_for(o["application"]).pk},
    "certificates:batch_detail": lambda o: {"pk": batch_for(o["tenant"]).pk},
    "certificates:batch_status": lambda o: {"pk": batch_for(o["tenant"]).pk},
    "committees:committee_detail": lambda o: {"pk": committee_objects(o)["committee"].pk},
    "committees:expert_add": lambda o: {"pk": committee_objects(o)["committee"].pk},
    "committees:meeting_new": lambda o: {"pk": committee_objects(o)["committee"].pk},
    "committees:expert_status": lambda o: {"pk": committee_objects(o)["expert"].pk},
    "committees:expert_create": lambda o: {"pk": committee_objects(o)["committee"].pk},
    "committees:expert_import": lambda o: {"pk": committee_objects(o)["committee"].pk},
    "committees:experts_created": lambda o: {"pk": committee_objects(o)["committee"].pk},
    "committees:meeting_edit": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:meeting_withdraw": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:meeting_pledge": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:objection_add": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:objection_resolve": lambda o: {"pk": committee_objects(o)["objection"].pk},
    "committees:item_file": lambda o: {"pk": committee_objects(o)["item"].pk,
                                       "file_pk": committee_objects(o)["file_pk"]},
    "committees_api:meeting_pledge": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:meeting_detail": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:meeting_draw": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:meeting_attendance": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:meeting_close": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:meeting_report": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:minutes": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:minutes_pdf": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:expert_meeting": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees:item_detail": lambda o: {"pk": committee_objects(o)["item"].pk},
    "committees:item_vote": lambda o: {"pk": committee_objects(o)["item"].pk},
    "committees_api:meeting_detail": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees_api:meeting_draw": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees_api:meeting_close": lambda o: {"pk": committee_objects(o)["meeting"].pk},
    "committees_api:item_vote": lambda o: {"pk": committee_objects(o)["item"].pk},
    "units:tenant_home": lambda o: {"code": o["tenant"].code},
    "units:tenant_upload": lambda o: {"code": o["tenant"].code},
    "units:tenant_versions": lambda o: {"code": o["tenant"].code},
    "units:tenant_version": lambda o: {"code": o["tenant"].code, "number": o["tenant"].version},
    "units:tenant_version_download": lambda o: {"code": o["tenant"].code, "number": o["tenant"].version},
    "units:tenant_settings": lambda o: {"code": o["tenant"].code},
    "units:tenant_districts": lambda o: {"code": o["tenant"].code},
    "units:tenant_organisations": lambda o: {"code": o["tenant"].code},
    "units:tenant_organisation_edit": lambda o: {"code": o["tenant"].code, "pk": o["organisation"].pk},
    "units:tenant_organisations_import": lambda o: {"code": o["tenant"].code},
    "units:tenant_organisations_template": lambda o: {"code": o["tenant"].code},
    "units:tenant_staff": lambda o: {"code": o["tenant"].code},
    "units:tenant_staff_edit": lambda o: {
        "code": o["tenant"].code,
        "pk": User.objects.filter(tenant=o["tenant"], role=Role.UNIT_HANDLER).order_by("id").first().pk,
    },
    "units:tenant_chain": lambda o: {"code": o["tenant"].code},
    "units:tenant_windows": lambda o: {"code": o["tenant"].code},
    "units:tenant_window_edit": lambda o: {"code": o["tenant"].code, "pk": tenant_window_for(o["tenant"]).pk},
    "units:tenant_window_delete": lambda o: {"code": o["tenant"].code, "pk": tenant_window_for(o["tenant"]).pk},
    "units:tenant_rulesets": lambda o: {"code": o["tenant"].code},
    "accounts:two_factor_reset": lambda o: {
        "pk": User.objects.filter(tenant=o["tenant"], role=Role.UNIT_HANDLER).order_by("id").first().pk
    },
    "accounts:api_token_revoke": lambda o: {"pk": api_token_for(o["tenant"]).pk},
    "accounts:service_account": lambda o: {"pk": service_token_for(o["tenant"]).user_id},
    "accounts:service_account_deactivate": lambda o: {"pk": service_token_for(o["tenant"]).user_id},
    "accounts:service_account_token_revoke": lambda o: {
        "pk": service_token_for(o["tenant"]).user_id,
        "token_pk": service_token_for(o["tenant"]).pk,
    },
    "tenant_document": lambda o: {"code": o["tenant"].code},
    "tenant_windows": lambda o: {"code": o["tenant"].code},
    "certificates_api:certificate_revoke": lambda o: {"pk": certificate_for(o["application"]).pk},
    "certificates_api:certificate_reissue": lambda o: {"pk": certificate_for(o["application"]).pk},
    "certificates_api:batch_detail": lambda o: {"pk": batch_for(o["tenant"]).pk},
    "certificates_api:fee_paid": lambda o: {"pk": fee_for(o["application"]).pk},
    # Public by design: the unguessable token is the capability and any valid one answers 200 to
}


def api_token_for(tenant: Tenant):
    from accounts.tokens import token_create

    owner = User.objects.filter(tenant=tenant, role=Role.CITY_REVIEWER).order_by("id").first()
    existing = owner.api_tokens.first()
    return existing or token_create(actor=owner, name="隔离测试", scopes=["applications:read"], days=30).token


def service_token_for(tenant: Tenant):
    """A token of a service account of ``tenant``, made by its tenant admin."""
    from accounts.models import ApiToken
    from accounts.service_accounts import service_account_create
    from accounts.tokens import token_create

    existing = ApiToken.objects.filter(user__tenant=tenant, user__is_service_account=True).first()
    if existing:
        return existing
    admin = User.objects.filter(tenant=tenant, role=Role.TENANT_ADMIN).order_by("id").first()
    account = service_account_create(
        actor=admin, name="隔离测试程序", role=Role.CITY_REVIEWER, organisation_id=admin.organisation_id
    )
    return token_create(actor=admin, owner=account, name="隔离测试", scopes=["applications:read"], days=30).token


def tenant_window_for(tenant: Tenant):
    from rules.models import DeclarationWindow

    return DeclarationWindow.objects.filter(tenant_code=tenant.code).order_by("id").first() or (
        DeclarationWindow.objects.create(
            tenant_code=tenant.code, name="隔离测试批次", recurrence={"months": [1], "first_day": 1, "last_day": 2}
        )
    )


def integrity_finding_for(person: User):
    from datetime import date

    from units.models import FilingRestriction

    return FilingRestriction.objects.create(
        tenant_id=person.tenant_id, person=person, kind=FilingRestriction.Kind.INTEGRITY, reason="伪造学历",
        starts_on=date(2026, 1, 1), ends_on=date(2099, 12, 31),
    )


def home_users(tenant: Tenant) -> list[User]:
    return list(User.objects.filter(tenant=tenant).exclude(role=Role.PLATFORM_ADMIN).order_by("id"))


def test_it_knows_how_to_reach_every_parameterised_route():
    missing = [
        name
        for name, route in all_routes()
        if parameters(route) and name not in FOREIGN_KWARGS and name not in PUBLIC_PARAMETERISED
    ]
    assert missing == [], f"add these routes to the isolation matrix: {missing}"


def test_it_answers_404_for_another_tenants_objects_on_every_route_for_every_role(client):
    home, foreign = world()
    objects = foreign_objects(foreign)
    routes = [name for name, route in all_routes() if parameters(route) and name not in PUBLIC_PARAMETERISED]
    users = home_users(home)
    assert {user.role for user in users} == set(Role.values) - {Role.PLATFORM_ADMIN}
    leaks = []
    for user in users:
        client.force_login(user)
        for name in routes:
            url = reverse(name, kwargs=FOREIGN_KWARGS[name](objects))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code not in (404, 405):
                    leaks.append((user.username, method, name, response.status_code))
        client.logout()
    assert leaks == []


def test_it_answers_404_for_another_units_objects_inside_the_same_tenant(client):
    home, _ = world()
    private_unit = Organisation.objects.get(tenant=home, name__endswith="智远科技有限公司")
    same_tenant = foreign_objects(home)
    other_applicant = User(full_name="别单位的人", role=Role.APPLICANT, tenant=home, organisation=private_unit)
    other_applicant.set_id_number("410105199001010018")
    other_applicant.save()
    objects = {
        **same_tenant,
        "applicant": other_applicant,
        "roster": roster_for(private_unit),
        "organisation": private_unit,
    }
    outsiders = User.objects.filter(
        tenant=home,
        username__in=[
            "zhengzhou-unit-handler",
            "zhengzhou-unit-head",
            "zhengzhou-department",
            "zhengzhou-expert",
            "zhengzhou-secretary",
        ],
    ) | User.objects.filter(tenant=home, role=Role.APPLICANT).exclude(pk=other_applicant.pk)
    leaks = []
    for user in outsiders:
        client.force_login(user)
        for name in (
            "units:person_detail",
            "units:person_reveal",
            "units:person_reset_password",
            "units:person_green_channel",
            "units:roster_import_status",
            "applicant-detail",
            "roster-import-detail",
            "organisation-detail",
        ):
            for method in ("get", "post"):
                response = getattr(client, method)(reverse(name, kwargs=FOREIGN_KWARGS[name](objects)))
                if response.status_code not in (404, 405):
                    leaks.append((user.username, method, name, response.status_code))
        client.logout()
    assert leaks == []


def test_it_shows_no_other_tenants_data_on_any_page_or_list(client):
    home, foreign = world()
    foreign_objects(foreign)
    routes = [name for name, route in all_routes() if not parameters(route) and name not in PUBLIC_PAGES]
    leaks = []
    for user in home_users(home):
        client.force_login(user)
        for name in routes:
            response = client.get(reverse(name))
            textual = response.get("Content-Type", "").startswith(("text/", "application/json"))
            if response.status_code == 200 and textual and foreign.name in response.content.decode():
                leaks.append((user.username, name))
        client.logout()
    assert leaks == []

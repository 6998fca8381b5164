"""Fill PostgreSQL with a deadline-scale volume for the page and load benchmarks.

    python benchmarks/generate.py --scale full    # 5 tenants, 2,000 units, 100,000 applicants/applications
    python benchmarks/generate.py --scale small   # the same shape at 1/50 (tests, a quick look)

Needs ``DATABASE_URL`` (PostgreSQL; SQLite only with ``--allow-sqlite``, for a small run) and writes
attachment files to ``ZC_PRIVATE_MEDIA_ROOT`` (default ``/tmp/zc-bench-media``, never the checkout).
It runs ``migrate`` and ``load_demo`` first, then adds the volume to five demo tenants so the demo staff
(``zhengzhou-city`` …, password ``Zhicheng@2026``) see tens of thousands of rows in their queues.

Fast by construction: one shared precomputed password hash, rows built in memory and written with
``bulk_create`` in batches of 5,000, plan of the review chain computed once per unit, one encrypted PDF
written to many small files. ID numbers are valid (check digit), encrypted and digested with the same
``core.crypto`` calls as ``User.set_id_number``; no full number is ever printed.

Besides the bulk rows it prepares ``--rush`` applicants (``bench-rush-00001`` …, password
``Zhicheng@2026``) in Zhengzhou whose drafts are complete (eligible record, every required file,
texts, pledge) inside an open declaration window: the deadline-rush scenario submits them.

Prints one JSON line at the end: the counts written and the seconds taken.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import secrets
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from benchmarks import benchenv  # noqa: E402

BATCH = 5000
TENANT_CODES = ["zhengzhou", "xuchang", "tangshan", "huzhou", "kunming-panlong"]
RUSH_TENANT = "zhengzhou"
BENCH_PASSWORD = "Zhicheng@2026"
SCALES = {
    "full": {"units": 2000, "applicants": 100_000},
    "small": {"units": 40, "applicants": 2_000},
}
# Share of applications per status (sums to 1): a window in its last week.
STATUS_MIX = [
    ("draft", 0.30),
    ("submitted", 0.22),
    ("in_review", 0.22),
    ("returned", 0.05),
    ("approved", 0.13),
    ("rejected", 0.05),
    ("withdrawn", 0.03),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"
STATEMENT = (
    "本人自参加工作以来，认真履行岗位职责，坚持理论联系实际，积极参与单位重点项目的设计与实施，"
    "在工程技术管理、质量控制和新技术推广方面取得了一定成绩，得到单位和同事的认可。"
)


def bulk(model, rows: list, counts: dict) -> list:
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    counts[model._meta.label] = counts.get(model._meta.label, 0) + len(rows)
    return created


def pdf_bytes() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--rush", type=int, default=600, help="complete drafts for the deadline rush")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--allow-sqlite", action="store_true")
    args = parser.parse_args(argv)
    benchenv.apply()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from units.demo import load_demo

    if connection.vendor != "postgresql" and not args.allow_sqlite:
        parser.error("set DATABASE_URL to PostgreSQL (or pass --allow-sqlite for a small run)")
    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    load_demo()
    if User.objects.filter(username__startswith="bench-").exists():
        parser.error("this database already holds generated rows: use a fresh database")
    counts = generate(**SCALES[args.scale], rush=args.rush, seed=args.seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    result = {"scale": args.scale, "seconds": round(time.perf_counter() - started, 1), "rows": counts}
    print(json.dumps(result, ensure_ascii=False))
    return result


def generate(*, units: int, applicants: int, rush: int, seed: int = 20261123) -> dict[str, int]:
    """Add the volume to the five demo tenants (``load_demo`` must have run); returns rows per model."""
    from django.contrib.auth.hashers import make_password
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from applications import materials
    from applications.models import (
        AnnualAssessment,
        Application,
        ApplicationFile,
        Attachment,
        ContinuingEducation,
        EducationEntry,
        PersonalRecord,
        Pledge,
        Submission,
        WorkPeriod,
    )
    from applications.services import PLEDGE_VERSION
    from certificates.models import Certificate
    from core import crypto
    from core.idnumbers import id_check_char, mask_id_number
    from review.chain import plan_chain
    from review.models import ReviewStep
    from rules.catalog import get_rule_set
    from rules.models import DeclarationWindow
    from rules.windows import window_status
    from units.models import Organisation, Tenant

    rng = random.Random(seed)
    counts: dict[str, int] = {}
    password_hash = make_password(BENCH_PASSWORD)  # once: hashing 100,000 times would take hours
    now = timezone.now()
    media = Path(default_storage.location)  # the private (encrypted) root, as Attachment.file uses
    encrypted_pdf = crypto.encrypt_bytes(pdf_bytes())
    pdf_sha = hashlib.sha256(encrypted_pdf).hexdigest()
    sequence = 0

    def new_id_number(region: str) -> str:
        nonlocal sequence
        sequence += 1
        birth = date(1975, 1, 1) + timedelta(days=sequence // 900)
        first17 = f"{region}{birth:%Y%m%d}{100 + sequence % 900:03d}"
        return first17 + id_check_char(first17)

    def new_user(tenant, unit, username: str) -> User:
        number = new_id_number(tenant.region_code)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        return User(
            username=username,
            full_name=name,
            role=Role.APPLICANT,
            tenant=tenant,
            organisation=unit,
            password=password_hash,
            id_number_encrypted=crypto.encrypt(number),
            id_number_digest=crypto.digest(number),
            id_number_masked=mask_id_number(number),
        )

    def records_for(users: list[User]) -> None:
        personal, education, work, assessments, cpd = [], [], [], [], []
        for user in users:
            personal.append(
                PersonalRecord(
                    person=user,
                    birth_date=date(1990, 3, 15),
                    gender=rng.choice("MF"),
                    has_contract=True,
                    months_in_region=40,
                    social_insurance_months_in_region=40,
                )
            )
            education.append(
                EducationEntry(
                    person=user,
                    level="bachelor",
                    school="郑州大学",
                    major="土木工程",
                    graduated_on=date(2022, 6, 30),
                    degree_certificate=True,
                )
            )
            work.append(WorkPeriod(person=user, start=date(2022, 7, 1), employer="压测单位", post="技术员"))
            for year in (2023, 2024, 2025):
                assessments.append(AnnualAssessment(person=user, year=year, grade="qualified"))
                cpd.append(ContinuingEducation(person=user, year=year, hours=90))
        for model, rows in (
            (PersonalRecord, personal),
            (EducationEntry, education),
            (WorkPeriod, work),
            (AnnualAssessment, assessments),
            (ContinuingEducation, cpd),
        ):
            bulk(model, rows, counts)

    def attach(owner: User, application: Application, slot: str, files: list, links: list) -> None:
        name = f"applications/{owner.pk}/{uuid.uuid4().hex}"
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encrypted_pdf)
        files.append(
            Attachment(
                owner=owner,
                file=name,
                original_name=f"{slot}.pdf",
                content_type="application/pdf",
                size=len(encrypted_pdf),
                pages=1,
                sha256=pdf_sha,
            )
        )
        links.append((application, slot))

    tenants = {t.code: t for t in Tenant.objects.filter(code__in=TENANT_CODES)}
    per_tenant_units = units // len(TENANT_CODES)
    per_unit = applicants // units
    mix = [status for status, share in STATUS_MIX for _ in range(round(share * 100))]
    certificate_serial = 0

    for code in TENANT_CODES:
        tenant = tenants[code]
        tenant_started = time.perf_counter()
        orgs = Organisation.objects.filter(tenant=tenant)
        department = orgs.filter(kind=Organisation.Kind.DEPARTMENT).order_by("id").first()
        district = tenant.districts.order_by("id").first()
        tenant_units = bulk(
            Organisation,
            [
                Organisation(
                    tenant=tenant,
                    kind=Organisation.Kind.UNIT,
                    name=f"{tenant.name}压测事业单位{i:04d}",
                    unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION,
                    competent_department=department,
                    managed_by=department,
                    district=district,
                )
                for i in range(per_tenant_units)
            ],
            counts,
        )
        rule_set_code = materials.rule_set_code_for_tenant(code)
        rule_set = get_rule_set(rule_set_code)
        plans = {}
        for unit in tenant_units:
            unit.competent_department = department
            unit.district = district
            plans[unit.pk] = plan_chain(unit=unit, evaluation_method="assessment")

        users = [
            new_user(tenant, unit, f"bench-{code}-{u * per_unit + i:06d}")
            for u, unit in enumerate(tenant_units)
            for i in range(per_unit)
        ]
        with transaction.atomic():
            users = bulk(User, users, counts)
            records_for(users)
            applications = []
            for user in users:
                status = rng.choice(mix)
                submitted_at = now - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 1440))
                applications.append(
                    Application(
                        applicant=user,
                        tenant=tenant,
                        unit_id=user.organisation_id,
                        window_name="压测申报批次",
                        series="engineering",
                        level="assistant",
                        self_statement=STATEMENT,
                        main_achievements=STATEMENT,
                        status=status,
                        ruleset_code=rule_set.code,
                        ruleset_version=rule_set.version,
                        submitted_at=None if status == "draft" else submitted_at,
                    )
                )
            applications = bulk(Application, applications, counts)
            submissions = bulk(
                Submission,
                [
                    Submission(
                        application=a,
                        revision=1,
                        snapshot={"files": [], "generated": True},
                        content_hash=hashlib.sha256(str(a.pk).encode()).hexdigest(),
                        submitted_by_id=a.applicant_id,
                        submitted_at=a.submitted_at,
                    )
                    for a in applications
                    if a.status != "draft"
                ],
                counts,
            )
            by_application = {a.pk: a for a in applications}
            steps, files, links, certificates = [], [], [], []
            for submission in submissions:
                application = by_application[submission.application_id]
                plan = plans[application.unit_id]
                status = application.status
                # How far up the chain the application has come (index of the deciding/active step).
                reached = {
                    "submitted": 0,
                    "returned": 0,
                    "withdrawn": 0,
                    "approved": len(plan),
                }.get(status, rng.randint(0 if status == "rejected" else 1, len(plan) - 1))
                for index, item in enumerate(plan):
                    step_status, since, decided = "waiting", None, None
                    if index < reached:
                        step_status = "approved"
                        since = submission.submitted_at + timedelta(hours=index)
                        decided = since + timedelta(minutes=30)
                    elif index == reached:
                        since = submission.submitted_at + timedelta(hours=index)
                        step_status = {"returned": "returned", "rejected": "rejected", "withdrawn": "waiting"}.get(
                            status, "active"
                        )
                        decided = since + timedelta(minutes=30) if step_status in ("returned", "rejected") else None
                    steps.append(
                        ReviewStep(
                            application_id=application.pk,
                            submission=submission,
                            revision=1,
                            order=item.order,
                            level=item.level,
                            organisation=item.organisation,
                            status=step_status,
                            active_since=since,
                            deadline=submission.submitted_at + timedelta(days=14),
                            decided_at=decided,
                            opinion="经审核，申报材料真实、完整，符合申报条件，同意推荐。" if decided else "",
                        )
                    )
                attach(application.applicant, application, "id_card", files, links)
                if status == "approved" and rng.random() < 0.5:
                    certificate_serial += 1
                    certificates.append(
                        Certificate(
                            tenant=tenant,
                            application=application,
                            holder_id=application.applicant_id,
                            year=now.year,
                            level="assistant",
                            serial=certificate_serial,
                            number=f"BENCH-{code}-{certificate_serial:06d}",
                            holder_name=application.applicant.full_name,
                            holder_id_masked=application.applicant.id_number_masked,
                            title="助理工程师",
                            issuer=tenant.authority_name,
                            issued_on=now.date(),
                            token=secrets.token_hex(24),
                        )
                    )
            bulk(ReviewStep, steps, counts)
            attachments = bulk(Attachment, files, counts)
            bulk(
                ApplicationFile,
                [
                    ApplicationFile(application=application, slot=slot, attachment=attachment)
                    for (application, slot), attachment in zip(links, attachments, strict=True)
                ],
                counts,
            )
            bulk(Certificate, certificates, counts)
        print(f"[generate] {code}: {len(users)} applicants in {time.perf_counter() - tenant_started:.1f} s", flush=True)

    if rush <= 0:
        return counts
    # Deadline-rush applicants: complete drafts inside an open window.
    tenant = Tenant.objects.get(code=RUSH_TENANT)
    # Timed and recurring windows alike (Zhengzhou's quarterly window is a recurrence, with no opens_at).
    window_open = window_status(RUSH_TENANT, now, series="engineering", level="assistant")["submit_open"]
    if not window_open:
        DeclarationWindow.objects.create(
            tenant_code=RUSH_TENANT,
            name="压测申报批次",
            opens_at=now - timedelta(days=1),
            submit_closes_at=now + timedelta(days=14),
            return_closes_at=now + timedelta(days=21),
            review_closes_at=now + timedelta(days=28),
        )
    rush_unit = Organisation.objects.filter(tenant=tenant, name__contains="压测事业单位").order_by("id").first()
    rule_set = get_rule_set(materials.rule_set_code_for_tenant(RUSH_TENANT))
    with transaction.atomic():
        users = bulk(User, [new_user(tenant, rush_unit, f"bench-rush-{i:05d}") for i in range(1, rush + 1)], counts)
        records_for(users)
        drafts = bulk(
            Application,
            [
                Application(
                    applicant=user,
                    tenant=tenant,
                    unit=rush_unit,
                    series="engineering",
                    level="assistant",
                    self_statement=STATEMENT,
                    main_achievements=STATEMENT,
                    ruleset_code=rule_set.code,
                    ruleset_version=rule_set.version,
                )
                for user in users
            ],
            counts,
        )
        slots, _ = materials.checklist(drafts[0], rule_set)
        files, links = [], []
        for application in drafts:
            for slot in slots:
                if slot.required:
                    attach(application.applicant, application, slot.id, files, links)
        attachments = bulk(Attachment, files, counts)
        bulk(
            ApplicationFile,
            [
                ApplicationFile(application=application, slot=slot, attachment=attachment)
                for (application, slot), attachment in zip(links, attachments, strict=True)
            ],
            counts,
        )
        bulk(
            Pledge,
            [
                Pledge(
                    application=a,
                    typed_name=a.applicant.full_name,
                    agreed=True,
                    signed_at=now,
                    text_version=PLEDGE_VERSION,
                )
                for a in drafts
            ],
            counts,
        )
    return counts


if __name__ == "__main__":
    main()

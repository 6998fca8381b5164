"""Filing services: drafts, uploads to slots, the pre-check, the pledge and the one submission."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from applications import materials, services
from applications.models import Achievement, Application, ApplicationFile, Attachment, EducationEntry, Submission
from core.models import AuditEvent
from tests.applications.helpers import (
    IN_WINDOW,
    WINDOW_CLOSES,
    WINDOW_OPENS,
    eligible_record,
    fill_required_slots,
    jpeg_upload,
    open_window,
    pdf_bytes,
    pdf_upload,
)
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    unit = OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    return ApplicantFactory(organisation=unit)


@pytest.fixture
def draft(applicant):
    return services.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)


@pytest.fixture
def ready(draft):
    """A draft that has everything it needs, inside an open window."""
    open_window("zhengzhou")
    eligible_record(draft.applicant)
    fill_required_slots(draft)
    services.pledge_sign(actor=draft.applicant, application=draft, typed_name=draft.applicant.full_name, agreed=True)
    return draft


def messages_of(error: ValidationError) -> list[str]:
    return [m for messages in error.message_dict.values() for m in messages]


def stored_files() -> int:
    try:
        return sum(len(files) for _, _, files in _walk("applications"))
    except FileNotFoundError:
        return 0


def _walk(path):
    dirs, files = default_storage.listdir(path)
    yield path, dirs, files
    for d in dirs:
        yield from _walk(f"{path}/{d}")


# --- Drafts -------------------------------------------------------------------------------------


def test_it_starts_a_draft_under_the_tenants_rule_set(draft):
    assert draft.status == Application.Status.DRAFT
    assert draft.ruleset_code == "zhengzhou-2020-junior"
    assert draft.ruleset_version == 1
    assert draft.evaluation_method == "assessment"


def test_it_lets_only_applicants_start_an_application():
    with pytest.raises(PermissionDenied):
        services.application_create(actor=UserFactory(role=Role.UNIT_HANDLER), series="engineering", level="yuan")


def test_it_saves_every_field_of_a_partial_draft(draft, applicant):
    services.application_save_draft(
        actor=applicant,
        application=draft,
        data={"specialty": "建筑工程", "self_statement": "述职", "exceptional_promotion": "true", "level": "yuan"},
    )
    draft.refresh_from_db()
    assert (draft.specialty, draft.self_statement, draft.exceptional_promotion, draft.level) == (
        "建筑工程",
        "述职",
        True,
        "yuan",
    )
    services.application_save_draft(actor=applicant, application=draft, data={"main_achievements": "业绩"})
    draft.refresh_from_db()
    assert draft.specialty == "建筑工程" and draft.main_achievements == "业绩"


def test_it_saves_nothing_and_reports_every_bad_field(draft, applicant):
    with pytest.raises(ValidationError) as caught:
        services.application_save_draft(
            actor=applicant,
            application=draft,
            data={"specialty": "新专业", "self_statement": "字" * 1001, "level": "general"},
        )
    assert caught.value.message_dict == {
        "self_statement": ["“本人述职”限1000字以内，现为1001字。"],
        "level": ["“general”不是有效的选项。"],
    }
    draft.refresh_from_db()
    assert draft.specialty == "" and draft.self_statement == "" and draft.level == "assistant"


def test_it_counts_characters_without_whitespace(draft, applicant):
    services.application_save_draft(actor=applicant, application=draft, data={"self_statement": "字" * 1000 + "\n\n  "})
    assert services.char_count(Application.objects.get(pk=draft.pk).self_statement) == 1000


def test_it_refuses_achievements_the_unit_has_not_approved(draft, applicant):
    pending = services.achievement_add(
        actor=applicant,
        data={"kind": "paper", "title": "桥梁检测论文", "achieved_on": "2024-05-01"},
        proof=pdf_upload(),
    )
    with pytest.raises(ValidationError) as caught:
        services.application_save_draft(actor=applicant, application=draft, data={"achievement_ids": [pending.pk]})
    assert "以下业绩尚未经单位审核通过，不能选用：桥梁检测论文。" in messages_of(caught.value)
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)
    services.achievement_decide(actor=handler, achievement=pending, approve=True)
    services.application_save_draft(actor=applicant, application=draft, data={"achievement_ids": [pending.pk]})
    assert list(draft.achievements.all()) == [pending]


def test_it_lets_only_the_own_unit_approve_an_achievement(applicant):
    entry = services.achievement_add(
        actor=applicant, data={"kind": "award", "title": "优秀奖", "achieved_on": "2024-05-01"}, proof=pdf_upload()
    )
    stranger = UserFactory(role=Role.UNIT_HANDLER, organisation=OrganisationFactory(tenant=applicant.tenant))
    with pytest.raises(PermissionDenied):
        services.achievement_decide(actor=stranger, achievement=entry, approve=True)
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)
    with pytest.raises(ValidationError):
        services.achievement_decide(actor=handler, achievement=entry, approve=False)
    services.achievement_decide(actor=handler, achievement=entry, approve=False, reason="证书不清晰")
    entry.refresh_from_db()
    assert entry.status == Achievement.Status.REJECTED and entry.rejection_reason == "证书不清晰"
    assert AuditEvent.objects.filter(action="achievement_rejected", target_id=str(entry.pk)).exists()


# --- Record -------------------------------------------------------------------------------------


def test_it_adds_an_education_entry_with_its_diploma_scan(applicant):
    entry = services.record_entry_add(
        actor=applicant,
        kind="education",
        data={"level": "bachelor", "school": "郑州大学", "major": "土木工程", "graduated_on": "2022-06-30"},
        proof=pdf_upload("毕业证.pdf"),
    )
    assert entry.diploma.original_name == "毕业证.pdf"
    assert entry.diploma.content_type == "application/pdf" and entry.diploma.pages == 1


def test_it_reports_every_problem_of_an_entry_and_stores_nothing(applicant):
    with pytest.raises(ValidationError) as caught:
        services.record_entry_add(
            actor=applicant,
            kind="education",
            data={"level": "phd", "school": "", "major": "土木工程", "graduated_on": "2022-06-30"},
            proof=SimpleUploadedFile("毕业证.pdf", b"MZ\x90\x00" * 100),
        )
    assert set(caught.value.message_dict) == {"level", "school", "diploma"}
    assert EducationEntry.objects.count() == 0 and Attachment.objects.count() == 0


# --- Uploads ------------------------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


def jpeg_with_a_late_header(width: int, height: int) -> bytes:
    """A real JPEG declaring ``width``×``height`` whose frame header comes after 80 KB of metadata
    (two large APP segments, as a camera's EXIF and maker notes can be): the size must still be read."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    index = data.index(b"\xff\xc0")
    data[index + 5 : index + 9] = struct.pack(">HH", height, width)
    padding = b"".join(b"\xff\xe1" + struct.pack(">H", 40_002) + b"\x00" * 40_000 for _ in range(2))
    return bytes(data[:2] + padding + data[2:])


class Big(io.BytesIO):
    """A 50 MB upload without holding 50 MB in the test."""


BAD_UPLOADS = [
    (
        "可执行文件",
        SimpleUploadedFile("劳动合同.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500),
        "的内容不是PDF、JPG、PNG格式",
    ),
    ("PDF冒充JPG", SimpleUploadedFile("劳动合同.jpg", pdf_bytes()), "的扩展名与内容不符（内容是PDF）"),
    ("超大文件", SimpleUploadedFile("劳动合同.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)), "超过上限10MB"),
    ("超大图片", SimpleUploadedFile("劳动合同.png", png_header(20000, 20000)), "为20000×20000像素，超过上限25百万像素"),
    (
        "元数据很长的超大JPG",
        SimpleUploadedFile("劳动合同.jpg", jpeg_with_a_late_header(60000, 60000)),
        "为60000×60000像素，超过上限25百万像素",
    ),
    (
        "损坏的PDF",
        SimpleUploadedFile("劳动合同.pdf", b"%PDF-1.7\n1 0 obj <<\x00\xff broken"),
        "已损坏，无法作为PDF打开",
    ),
    ("空文件", SimpleUploadedFile("劳动合同.pdf", b""), "是空文件"),
    ("页数过多", SimpleUploadedFile("劳动合同.pdf", pdf_bytes(51)), "共51页，超过上限50页"),
]


@pytest.mark.parametrize(("case", "upload", "message"), BAD_UPLOADS, ids=[case for case, _, _ in BAD_UPLOADS])
def test_it_refuses_a_bad_upload_with_a_clear_message_and_stores_nothing(draft, applicant, case, upload, message):
    with pytest.raises(ValidationError) as caught:
        services.application_upload(actor=applicant, application=draft, slot="labour_contract", upload=upload)
    text = " ".join(caught.value.messages)
    assert text.startswith("劳动合同：") and f"“{upload.name}”" in text and message in text, text
    assert ApplicationFile.objects.count() == 0 and Attachment.objects.count() == 0
    assert stored_files() == 0


def test_it_stores_a_good_upload_with_what_it_found(draft, applicant):
    item = services.application_upload(
        actor=applicant, application=draft, slot="diploma", upload=pdf_upload("学位证.pdf", pages=3)
    )
    attachment = item.attachment
    assert (attachment.content_type, attachment.pages, attachment.original_name) == ("application/pdf", 3, "学位证.pdf")
    assert len(attachment.sha256) == 64 and attachment.size > 0
    assert "学位证" not in attachment.file.name  # the stored name does not carry the uploader's file name
    assert default_storage.exists(attachment.file.name)
    item = services.application_upload(
        actor=applicant, application=draft, slot="diploma", upload=jpeg_upload("学位证.jpg")
    )
    assert (item.attachment.width, item.attachment.height) == (300, 420)


def test_it_refuses_a_slot_the_application_does_not_have(draft, applicant):
    with pytest.raises(ValidationError) as caught:
        services.application_upload(actor=applicant, application=draft, slot="photo", upload=jpeg_upload())
    assert caught.value.message_dict == {"slot": ["本次申报不需要该项材料。"]}


def test_it_applies_the_huzhou_photo_rules(settings):
    applicant = ApplicantFactory(organisation=OrganisationFactory(tenant=TenantFactory(code="huzhou", name="湖州市")))
    draft = services.application_create(actor=applicant, series="engineering", level="intermediate")
    slot = materials.slot_by_id(draft, "photo")
    assert "格式：JPG" in slot.rules.describe() and "不小于215×300像素" in slot.rules.describe()
    cases = [
        (SimpleUploadedFile("证件照.png", b"x"), "的内容不是JPG格式"),
        (jpeg_upload("证件照.jpg", 100, 140), "小于下限30KB"),
        (SimpleUploadedFile("证件照.jpg", pdf_bytes() + b"0" * 40000), "的内容不是JPG格式"),
    ]
    for upload, message in cases:
        with pytest.raises(ValidationError) as caught:
            services.application_upload(actor=applicant, application=draft, slot="photo", upload=upload)
        assert message in " ".join(caught.value.messages)
    noisy = SimpleUploadedFile("证件照.jpg", _noisy_jpeg(600, 400))
    with pytest.raises(ValidationError) as caught:
        services.application_upload(actor=applicant, application=draft, slot="photo", upload=noisy)
    assert "宽高比为1.50，须在0.65～0.8之间" in " ".join(caught.value.messages)
    good = SimpleUploadedFile("证件照.jpg", _noisy_jpeg(330, 450))
    assert services.application_upload(actor=applicant, application=draft, slot="photo", upload=good).pk


def _noisy_jpeg(width: int, height: int) -> bytes:
    import os

    from PIL import Image

    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


# --- Pre-check ----------------------------------------------------------------------------------


def test_it_prechecks_the_saved_record_with_the_rules_engine(draft, applicant):
    before = services.application_precheck(application=draft, at=IN_WINDOW)
    assert before.eligible is False
    eligible_record(applicant)
    after = services.application_precheck(application=draft, at=IN_WINDOW)
    assert after.eligible is True and after.ruleset_code == "zhengzhou-2020-junior"
    assert {c["code"] for c in after.checks} >= {"education_and_months", "months_in_region", "contract"}


def test_it_tells_when_the_applicant_can_come_back(draft, applicant):
    eligible_record(applicant)
    applicant.work_periods.update(start="2026-07-01")
    applicant.education_entries.update(graduated_on="2026-06-30")
    result = services.application_precheck(application=draft, at=IN_WINDOW)
    assert result.eligible is False
    assert result.earliest_eligible_on.isoformat() == "2027-07-01"


# --- Submit -------------------------------------------------------------------------------------


def test_it_submits_and_freezes_a_snapshot(ready):
    submission = services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    ready.refresh_from_db()
    assert ready.status == Application.Status.SUBMITTED and ready.submitted_at == IN_WINDOW
    assert ready.window_name == "2026年11月测试申报批次"
    assert ready.window_opens_at == WINDOW_OPENS
    assert submission.revision == 1 and len(submission.content_hash) == 64
    snapshot = submission.snapshot
    assert snapshot["application"]["ruleset"] == {"code": "zhengzhou-2020-junior", "version": 1}
    assert snapshot["record"]["education"][0]["school"] == "郑州大学"
    assert {f["slot"] for f in snapshot["files"]} >= {"diploma", "labour_contract"}
    assert snapshot["pledge"]["typed_name"] == ready.applicant.full_name
    assert services.content_hash(snapshot) == submission.content_hash
    assert AuditEvent.objects.filter(action="application_submitted", target_id=str(ready.pk)).count() == 1


def test_it_creates_exactly_one_submission_on_a_double_submit(ready):
    first = services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    stale_tab = Application.objects.get(pk=ready.pk)
    second = services.application_submit(actor=ready.applicant, application=stale_tab, at=IN_WINDOW)
    assert first.pk == second.pk
    assert Submission.objects.filter(application=ready).count() == 1


def test_it_never_changes_a_submission(ready):
    submission = services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    submission.snapshot = {}
    with pytest.raises(ValidationError):
        submission.save()
    with pytest.raises(ValidationError):
        submission.delete()
    with pytest.raises(ValidationError):
        Submission.objects.filter(pk=submission.pk).update(snapshot={})
    with pytest.raises(ValidationError):
        Submission.objects.filter(pk=submission.pk).delete()
    submission.refresh_from_db()
    assert submission.snapshot["application"]["id"] == ready.pk


@pytest.mark.services
def test_it_has_postgresql_refuse_changing_or_deleting_a_submission_whatever_the_client(ready, postgres):
    from django.db import DatabaseError, transaction

    submission = services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    for sql in (
        "UPDATE applications_submission SET snapshot = '{}'::jsonb WHERE id = %s",
        "DELETE FROM applications_submission WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), postgres.cursor() as cursor:
            cursor.execute(sql, [submission.pk])
    submission.refresh_from_db()
    assert submission.content_hash == services.content_hash(submission.snapshot)


def test_it_accepts_the_last_second_of_the_window_and_refuses_the_next(ready):
    from rules.models import DeclarationWindow

    # Zhengzhou's quarterly window (tenants/zhengzhou.json; 000_09f0e4863c323892.txt 七) names the next one.
    DeclarationWindow.objects.create(
        tenant_code="zhengzhou",
        name="市直单位初级职称申报",
        recurrence={"months": [3, 6, 9, 12], "first_day": 1, "last_day": 25},
    )
    late = WINDOW_CLOSES + timedelta(seconds=1)
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=ready.applicant, application=ready, at=late)
    assert caught.value.messages == [
        "当前不在申报时间内：下一批次“2026年12月市直单位初级职称申报”于2026年12月1日 00:00:00开始申报。"
    ]
    submission = services.application_submit(actor=ready.applicant, application=ready, at=WINDOW_CLOSES)
    assert submission.submitted_at == WINDOW_CLOSES


def test_it_says_exactly_what_blocks_a_submission(draft, applicant):
    open_window("zhengzhou")
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=applicant, application=draft, at=IN_WINDOW)
    blockers = caught.value.messages
    assert blockers[0].startswith("申报条件预审未通过：")
    assert "缺少材料：学历证书、学位证书。" in blockers
    assert "缺少材料：劳动合同。" in blockers
    assert "缺少材料：继续教育证。" in blockers
    assert blockers[-1] == "请先签署诚信承诺书。"
    assert Submission.objects.count() == 0
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_it_allows_an_ineligible_applicant_with_an_exceptional_promotion_form(ready):
    ready.applicant.education_entries.update(graduated_on="2026-06-30")
    ready.applicant.work_periods.update(start="2026-07-01")
    with pytest.raises(ValidationError):
        services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    services.application_save_draft(actor=ready.applicant, application=ready, data={"exceptional_promotion": True})
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    assert "缺少材料：《破格推荐专业技术职务任职资格审批表》。" in caught.value.messages
    item = services.application_upload(
        actor=ready.applicant, application=ready, slot="exceptional_promotion_form", upload=pdf_upload("破格.pdf")
    )
    # Uploaded is not approved: the city bureau decides the form (004 附件 审批表).
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    assert "破格申报须经市人社局审批：《破格推荐专业技术职务任职资格审批表》已上传，正在等待审批，批准后才能提交。" in (
        caught.value.messages
    )
    city = UserFactory(role=Role.CITY_REVIEWER, tenant=ready.tenant, organisation=None)
    services.exceptional_approval_decide(actor=city, approval=item.exception_approval, approve=True)
    submission = services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    assert submission.revision == 1
    assert submission.snapshot["exceptional_promotion_approval"]["status"] == "approved"


def test_it_asks_kunming_applicants_for_400_characters_of_achievements():
    applicant = ApplicantFactory(
        organisation=OrganisationFactory(tenant=TenantFactory(code="kunming-panlong", name="昆明市盘龙区"))
    )
    draft = services.application_create(actor=applicant, series="engineering", level="assistant")
    services.application_save_draft(actor=applicant, application=draft, data={"main_achievements": "业绩" * 150})
    draft.refresh_from_db()
    blockers, _ = services.submission_blockers(draft, IN_WINDOW)
    assert "“主要工作业绩”须不少于400字，现为300字。" in blockers


def test_it_keeps_a_submitted_application_unchanged(ready):
    services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    with pytest.raises(ValidationError) as caught:
        services.application_save_draft(actor=ready.applicant, application=ready, data={"specialty": "改"})
    assert caught.value.messages == ["申报已已提交，待单位审核，不能再修改。"]
    with pytest.raises(ValidationError):
        services.application_upload(actor=ready.applicant, application=ready, slot="diploma", upload=pdf_upload())


def test_it_requires_the_pledge_in_the_applicants_own_name(draft, applicant):
    with pytest.raises(ValidationError) as caught:
        services.pledge_sign(actor=applicant, application=draft, typed_name="别人", agreed=False)
    assert set(caught.value.message_dict) == {"agreed", "typed_name"}
    pledge = services.pledge_sign(actor=applicant, application=draft, typed_name=applicant.full_name, agreed=True)
    assert pledge.text_version == services.PLEDGE_VERSION


def test_it_lets_nobody_else_submit(ready):
    other = ApplicantFactory(organisation=ready.unit)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=other, application=ready, at=IN_WINDOW)

"""One filing per person and window: while the applicant has an application of the window that is
submitted, returned, in review, approved or certified, a second one is refused, and the refusal
names the one that exists.

No seed clause allows two filings of one person in one batch: a filing goes on through its returns
(001_272b0a6ee81b04e4.txt 二(三): 如有退回，退回修改的申报材料须及时补充完整…再次提交审核), the
person is identified by the ID number (001 二(三) 用户名为本人身份证号), and a window is one batch
with its own deadlines (003_c25e803c7aeb4e62.txt 四).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from applications import services as filing
from applications.models import Application
from rules.models import DeclarationWindow
from tests.applications.helpers import IN_WINDOW, cst
from tests.certificates.helpers import certificate_for
from tests.review.helpers import DAY_2, build_city, submitted_application

pytestmark = pytest.mark.django_db

WINDOW = "2026年11月测试申报批次"


@pytest.fixture
def city():
    return build_city()


@pytest.fixture
def filed(city) -> Application:
    return submitted_application(city.applicant, at=IN_WINDOW)


def start_again(applicant, at=DAY_2):
    return filing.application_create(actor=applicant, series="engineering", level="intermediate", at=at)


@pytest.mark.parametrize(
    ("status", "certified", "said"),
    [
        ("submitted", False, "已提交，待单位审核，2026年11月10日提交），同一申报批次不能重复申报，请等待审核结果。"),
        ("in_review", False, "审核中，2026年11月10日提交），同一申报批次不能重复申报，请等待审核结果。"),
        ("returned", False, "已退回修改，2026年11月10日提交），同一申报批次不能重复申报，请按退回意见修改后再次提交。"),
        ("approved", False, "已通过，2026年11月10日提交），同一申报批次不能重复申报。"),
        ("approved", True, "已通过，已取得证书，2026年11月10日提交），同一申报批次不能重复申报。"),
    ],
)
def test_it_refuses_a_second_application_in_the_window_naming_the_one_that_exists(
    city, filed, status, certified, said
):
    """001 二(三): a filing continues through its returns; one filing per person and batch (003 四)."""
    Application.objects.filter(pk=filed.pk).update(status=status)
    if certified:
        certificate_for(filed)
    with pytest.raises(ValidationError) as refused:
        start_again(city.applicant)
    assert refused.value.messages == [f"您在“{WINDOW}”已有一份申报：工程助理级（{said}"]
    assert city.applicant.applications.count() == 1


def test_it_lets_a_draft_or_a_closed_filing_be_followed_by_another(city):
    """003 四: only a filing that is going on (or went through) holds the place in the batch."""
    draft = filing.application_create(actor=city.applicant, series="engineering", level="assistant", at=IN_WINDOW)
    second = start_again(city.applicant)
    assert second.pk != draft.pk
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.REJECTED, window_name=WINDOW)
    assert start_again(city.applicant).pk not in (draft.pk, second.pk)


def test_it_refuses_to_submit_a_second_draft_once_the_first_is_submitted(city):
    """003 四: two drafts started in one batch cannot both be filed."""
    other = filing.application_create(actor=city.applicant, series="engineering", level="intermediate", at=IN_WINDOW)
    filed = submitted_application(city.applicant, at=IN_WINDOW)
    blockers, _ = filing.submission_blockers(other, DAY_2)
    assert (
        f"您在“{WINDOW}”已有一份申报：工程助理级（已提交，待单位审核，2026年11月10日提交），"
        "同一申报批次不能重复申报，请等待审核结果。"
    ) in blockers
    assert filed.status == Application.Status.SUBMITTED


def test_it_lets_the_applicant_file_again_in_a_later_window(city, filed):
    """003 四: the next batch is a new filing."""
    Application.objects.filter(pk=filed.pk).update(status=Application.Status.APPROVED)
    DeclarationWindow.objects.create(
        tenant_code=city.tenant.code,
        name="2027年3月测试申报批次",
        opens_at=cst(2027, 3, 1, 9, 0, 0),
        submit_closes_at=cst(2027, 3, 20, 17, 0, 0),
    )
    later = start_again(city.applicant, at=cst(2027, 3, 2, 9, 0, 0))
    assert later.window_name == "2027年3月测试申报批次"

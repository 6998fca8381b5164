"""Steps of the committee journeys (issue 17): the secretary's plan, pledge and draw, the experts'
reading of the frozen file and their votes on the meeting day, closing, reporting and the
publicity — each by the links and buttons on the pages, each page read by ``journey.Reader``
(tests/test_plain_words.py's patterns). Sources: 001_272b0a6ee81b04e4.txt 五(一) (保密承诺书,
随机抽取), 五(四) (结果在会后5个工作日内报送), 六 (公示)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from committees.models import Meeting
from tests.browser.conftest import log_in
from tests.browser.journey import Reader, click, first_login, nav
from tests.browser.test_committee import fill_plan, sign_pledge


def photo_bytes(width: int = 330, height: int = 450) -> bytes:
    """A 1寸 photo as a camera makes it: a JPEG of real detail (tens of KB, where a flat test image
    is 3KB and the rule set asks for at least 30KB)."""
    import io
    import random

    from PIL import Image

    noise = random.Random(17)
    image = Image.frombytes("RGB", (width, height), bytes(noise.randrange(256) for _ in range(width * height * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def upload_photo(page, read: Reader, tmp_path) -> None:
    """On the application form: the 证件照 slot gets a photo of the size the rule set asks for."""
    path = tmp_path / "证件照.jpg"
    path.write_bytes(photo_bytes())
    slot = page.locator("li.slot").filter(has=page.locator("h3", has_text="证件照"))
    slot.locator("input[type=file]").set_input_files(str(path))
    slot.get_by_role("button", name="上传", exact=True).click()
    read(page)
    expect(page.locator("li.slot.missing").filter(has=page.locator("h3", has_text="证件照"))).to_have_count(0)


def open_committee(page, read: Reader, committee_name: str) -> str:
    """评审委员会 in the navigation, then the committee's 专家库与评审方案."""
    nav(page, read, "评审委员会")
    row = page.get_by_role("row").filter(has_text=committee_name)
    row.get_by_role("link", name="专家库与评审方案").click()
    text = read(page)
    expect(page.locator("h1")).to_have_text(committee_name)
    return text


def drawable_count(text: str) -> int:
    """How many experts the page says can be drawn (“可抽取的专家N人”)."""
    found = re.search(r"可抽取的专家(\d+)人", text)
    assert found, f"页面没有说明可抽取的专家人数：{text[:400]}"
    return int(found.group(1))


def file_plan(page, read: Reader, committee_name: str, day, count: int, applicant: str, title: str) -> str:
    """From the committee's page: 报备评审方案 for ``count`` experts, meeting on ``day``."""
    open_committee(page, read, committee_name)
    click(page, read, "link", "报备评审方案")
    fill_plan(page, day, count, applicant, title)
    return read(page)


def draw_experts(page, read: Reader, secretary_name: str, tenant_code: str) -> Meeting:
    """On the filed plan: the secretary signs the 保密承诺书 and draws; the meeting is open."""
    sign_pledge(page, secretary_name)
    assert "已签署保密承诺书" in read(page)
    click(page, read, "button", "随机抽取专家")
    expect(page.locator("#meeting-status")).to_have_text("已抽取专家，表决中")
    return Meeting.objects.get(tenant__code=tenant_code, status=Meeting.Status.DRAWN)


def expert_reads_and_votes(
    page, read: Reader, *, username: str, password: str, full_name: str, applicant: str,
    held_title: str, opinions: list[str], initial: str | None = None, absent: dict[str, str] | None = None,
) -> list[str]:
    """One expert on the meeting day: log in (changing ``initial`` at the first login), 我的评审会议,
    评审表决, the 保密承诺书, then the item: the frozen file in full — titles held, assessments,
    continuing education, the lower levels' opinions and every attachment, opened inline through
    the permission-checked link — and the vote 同意. ``absent`` maps a section of the file (a CSS
    selector) to text it must not show: what the applicant changed after submitting (the file is
    the snapshot frozen at submission). Returns the attachments' names."""
    if initial:
        first_login(page, read, username, initial, password)
    else:
        log_in(page, username, password)
        read(page)
    nav(page, read, "我的评审会议")
    click(page, read, "link", "评审表决")
    if page.get_by_role("button", name="签署保密承诺书").count():
        sign_pledge(page, full_name)
        read(page)
    text = click(page, read, "link", "查看材料并表决")
    assert applicant in page.locator("h1").inner_text()
    assert held_title in page.locator("#titles-held").inner_text()
    assert "合格" in page.locator("#assessments").inner_text()
    assert "学时" in page.locator("#continuing-education").inner_text()
    for opinion in opinions:
        assert opinion in text, f"专家看不到下级审核意见“{opinion}”"
    assert "表决结果" not in text  # nothing of the others' votes while the meeting is open
    for selector, later in (absent or {}).items():
        assert later not in page.locator(selector).inner_text(), f"专家看到的不是提交时的材料：{selector} 含“{later}”"
    names = []
    links = page.locator("#files a")
    assert links.count(), "专家看不到任何申报材料附件"
    for n in range(links.count()):
        link = links.nth(n)
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200, f"附件“{link.inner_text()}”打不开：{response.status}"
        assert response.headers["content-type"] in ("application/pdf", "image/jpeg"), response.headers
        assert response.headers["content-disposition"].startswith("inline")
        names.append(link.inner_text().strip())
    page.get_by_label("同意", exact=True).check()
    click(page, read, "button", "提交表决意见")
    assert page.get_by_role("row").filter(has_text=applicant).filter(has_text="同意").count() == 1
    return names


def close_and_report(page, read: Reader, discussion: str, applicant: str) -> str:
    """The secretary, back on the meeting page: the discussion, 结束会议, then 报送评审结果并公示."""
    page.reload()
    read(page)
    page.get_by_label(re.compile("^评委会讨论意见")).fill(discussion)
    click(page, read, "button", "结束会议并统计表决结果")
    assert page.get_by_role("row").filter(has_text=applicant).filter(has_text="评审通过").count() == 1
    expect(page.locator("#report-due")).to_contain_text("5个工作日内")
    click(page, read, "button", "报送评审结果并公示")
    expect(page.locator("#meeting-status")).to_have_text("结果已报送并公示")
    return read(page)


def publicity_ends(meeting: Meeting) -> None:
    """The result's publicity runs out (moved back: the live server keeps the real clock)."""
    Meeting.objects.filter(pk=meeting.pk).update(publicity_ends_on=timezone.localdate() - timedelta(days=1))

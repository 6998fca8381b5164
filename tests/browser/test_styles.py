"""What people see: the “由单位提供” badge is readable, and the bureau's integrity, fee and calendar
forms are laid out like the site's other forms (label above a full-width field, in a card)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from applications import services as filing
from tests.applications.helpers import eligible_record, open_window
from tests.browser.conftest import STAFF_PASSWORD, demo_applicant_ready, log_in

NEW_PASSWORD = "Lvzhou#Qiuyu2026"

# WCAG contrast ratio of an element's text colour against the first opaque background behind it.
CONTRAST = """element => {
  function rgba(text) { return text.match(/[\\d.]+/g).map(Number); }
  function luminance([r, g, b]) {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  let node = element, background = null;
  while (node && node.nodeType === 1) {
    const value = rgba(getComputedStyle(node).backgroundColor);
    if (value.length < 4 || value[3] > 0) { background = value; break; }
    node = node.parentElement;
  }
  background = background || [255, 255, 255];
  const [a, b] = [luminance(rgba(getComputedStyle(element).color)), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.browser
def test_the_unit_supplied_badge_is_readable_on_the_filing_form(demo, page):
    id_number, applicant = demo_applicant_ready(demo, NEW_PASSWORD)
    now = timezone.now()
    open_window("zhengzhou", opens=now - timedelta(days=1), closes=now + timedelta(days=1))
    eligible_record(applicant)
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")

    log_in(page, id_number, NEW_PASSWORD)
    page.goto(f"/applications/{draft.pk}/")
    badges = page.locator(".badge", has_text="由单位提供")
    assert badges.count() >= 1
    for n in range(badges.count()):
        assert badges.nth(n).evaluate(CONTRAST) >= 4.5
    for other in ("缺", "单位尚未上传"):
        badge = page.locator(".badge", has_text=other).first
        if badge.count():
            assert badge.evaluate(CONTRAST) >= 4.5


def assert_styled_fields(page, url: str, names: list[str]) -> None:
    page.goto(url)
    for name in names:
        field = page.locator(f"form [name={name}]").first
        assert field.evaluate("e => !!e.closest('.field') && !!e.closest('.card')"), f"{url} {name}"
        box = field.bounding_box()
        assert box and box["width"] >= 240, f"{url} {name} is {box and box['width']}px wide"
        # The label sits above its field, not beside it.
        label_box = page.locator(f"label[for='{field.get_attribute('id')}']").bounding_box()
        assert label_box["y"] + label_box["height"] <= box["y"] + 1, f"{url} {name}"


@pytest.mark.browser
def test_the_bureaus_integrity_fee_and_calendar_forms_are_styled_like_the_others(demo, page):
    log_in(page, "zhengzhou-admin", STAFF_PASSWORD)
    assert_styled_fields(page, "/review/integrity/", ["id_number", "reason", "unit", "period"])
    assert_styled_fields(page, "/certificates/fees/", ["application", "kind", "amount"])
    assert_styled_fields(page, "/rules/calendar/", ["day", "is_workday", "note"])

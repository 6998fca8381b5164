from __future__ import annotations

from celery import shared_task

from committees import services


@shared_task(acks_late=True)
def render_minutes(meeting_id: int) -> str:
    """Render a closed meeting's minutes; idempotent (a redelivery finds the file there)."""
    meeting = services.minutes_render(meeting_id=meeting_id)
    return "done" if meeting.minutes_pdf else "skipped"

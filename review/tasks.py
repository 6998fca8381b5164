from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def render_publicity_sheet(procedure_id: int) -> str:
    """Render a unit's 公示表; idempotent, so a redelivery finds the sheet already stored."""
    from review.procedure import publicity_sheet_render

    return publicity_sheet_render(procedure_id=procedure_id).sheet_status

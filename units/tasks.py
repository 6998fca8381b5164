from __future__ import annotations

from celery import shared_task

from units import services


@shared_task(acks_late=True)
def run_roster_import(job_id: int) -> str:
    return services.roster_import_run(job_id=job_id).status

from __future__ import annotations

from celery import shared_task

from certificates import services


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_ATTEMPTS - 1)
def render_document(self, job_id: int) -> str:
    """Render one document job; retried with back-off (30 s, 60 s, …) when the render fails."""
    try:
        return services.document_render(job_id=job_id).status
    except services.DocumentRenderError as error:
        if self.request.retries >= self.max_retries:
            return "failed"
        if self.request.is_eager:
            # The embedded default has no broker to schedule a retry on: try again at once,
            # without letting Celery's Retry escape into the request that enqueued the job.
            return self.apply(args=[job_id], retries=self.request.retries + 1).result
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task(acks_late=True)
def issue_certificate_batch(batch_id: int) -> str:
    """Run one certificate batch; idempotent, so a redelivery only finishes what is left."""
    return services.certificate_batch_run(batch_id=batch_id).status


@shared_task(acks_late=True)
def render_certificate(certificate_id: int, base: str) -> str:
    """Render and sign the current version of one certificate (补发/换发); idempotent."""
    return services.certificate_render(certificate_id=certificate_id, base=base).sha256


@shared_task(acks_late=True)
def render_publicity_sheet(procedure_id: int) -> str:
    """Render a unit's 公示表; idempotent, so a redelivery finds the sheet already stored."""
    from certificates.publicity import publicity_sheet_render

    return publicity_sheet_render(procedure_id=procedure_id).sheet_status

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "审核"

    def ready(self) -> None:
        from applications.signals import application_submitted

        application_submitted.connect(_start_chain, dispatch_uid="review.chain_start")


def _start_chain(sender, *, application, submission, **kwargs) -> None:
    from review.services import chain_start

    chain_start(application=application, submission=submission)

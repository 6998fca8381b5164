from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = gettext_lazy("审核")

    def ready(self) -> None:
        from applications import hooks
        from applications.signals import application_submitted
        from review.selectors import application_timeline

        application_submitted.connect(_start_chain, dispatch_uid="review.chain_start")
        hooks.provide_timeline(application_timeline)
        hooks.provide_exceptional_check("review.expert_appraisal", _exceptional_appraisal)


def _start_chain(sender, *, application, submission, **kwargs) -> None:
    from review.services import chain_start

    chain_start(application=application, submission=submission)


def _exceptional_appraisal(approval):
    from review.exceptional import approval_problem

    return approval_problem(approval)

"""Reviewer pages: the queue, the review page with its decision forms, bulk approve. Thin: parse,
fetch through a scoped getter, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from applications import materials
from applications.selectors import roster_exclusion
from core.audit import audit_read
from review import selectors, services
from review.chain import Action
from review.models import ReviewStep
from review.queue_rows import options_html, queue_rows, rows_html
from rules import labels

# The opinions are stored and printed on the 评审表 in Chinese; the options show them in the reader's language.
OPINION_TEMPLATES = {
    Action.APPROVE: [
        gettext_noop("经审核，申报材料真实、完整，符合申报条件，同意推荐。"),
        gettext_noop("情况属实，同意报送上级审核。"),
    ],
    Action.RETURN: [gettext_noop("申报材料不完整，请按下列问题逐项修改后重新提交。")],
    Action.REJECT: [
        gettext_noop("经审核，不符合申报条件，不予推荐。"),
        gettext_noop("申报材料存在弄虚作假情形，不予推荐。"),
    ],
}


def _opinion_options(action: str) -> list[tuple[str, str]]:
    """Each template as (the Chinese text submitted and stored, its label in the reader's language)."""
    return [(text, _(text)) for text in OPINION_TEMPLATES[action]]


def _require_reviewer(request: HttpRequest) -> None:
    if not selectors.is_reviewer(request.user):
        raise Http404


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    filters = selectors.QueueFilters.from_query(request.GET)
    result = selectors.review_queue(request.user, filters)
    audit_read(request=request, what="queue", rows=len(result.rows))
    return render(
        request,
        "review/queue.html",
        {
            "queue": result,
            "rows_html": rows_html(
                queue_rows(result.rows, result.now), pickable=filters.status == ReviewStep.Status.ACTIVE
            ),
            "statuses": [s for s in ReviewStep.Status.choices if s[0] != ReviewStep.Status.WAITING],
            "series_options": options_html(labels.SERIES.items(), filters.series),
            "level_options": options_html(labels.LEVELS.items(), filters.level),
            "approve_templates": _opinion_options(Action.APPROVE),
        },
    )


def _named_targets(application, targets: list[tuple[str, str]], text_labels: dict[str, str]):
    """The return targets named as the page and the rule set name them: a text field by the rule
    set's name of it (as the applicant's form shows it), the unit's own materials (单位考核报告…, not
    in the applicant's checklist) by their names, and a slot no longer in the rule set as “其他材料”,
    never by its code."""
    try:
        names = {item.id: item.name for item in materials.unit_items(application)}
    except LookupError:
        names = {}
    named = []
    for key, label in targets:
        kind, _sep, code = key.partition(":")
        if kind == "slot" and label == f"材料：{code}":
            label = _("材料：%(name)s") % {"name": names[code] if code in names else _("其他材料")}
        elif kind == "slot":
            label = _("材料：%(name)s") % {"name": label.removeprefix("材料：")}
        elif kind == "field" and code in text_labels:
            label = text_labels[code]
        elif kind == "field":
            label = _(label)  # the fixed names of services.TARGET_LABELS
        named.append((key, label))
    return named


def _detail_context(request: HttpRequest, application) -> dict:
    steps = selectors.steps_of_current_revision(application)
    active = next((s for s in steps if s.status == ReviewStep.Status.ACTIVE), None)
    submission = application.submissions.order_by("-revision").first()
    snapshot = submission.snapshot if submission else {}
    text_labels = materials.text_labels(application)
    targets = _named_targets(application, services.return_targets(application, submission), text_labels)
    prefix = _("材料：%(name)s") % {"name": ""}
    slot_names = {key.removeprefix("slot:"): label.removeprefix(prefix) for key, label in targets}
    grades = labels.GRADES
    return {
        "files": [(slot_names.get(f["slot"], _("其他材料")), f) for f in snapshot.get("files", [])],
        "assessments": [
            (row["year"], grades.get(row["grade"], row["grade"]))
            for row in snapshot.get("record", {}).get("assessments", [])
        ],
        "application": application,
        "submission": submission,
        "snapshot": snapshot,
        "text_labels": text_labels,
        "steps": steps,
        "active": active,
        "can_decide": active is not None
        and services.can_decide(request.user, active, Action.APPROVE)
        and not services.deadline_passed(active, timezone.now()),
        # The level's own deadline has passed: the file stays readable, the page says why and whom to ask.
        "deadline_closed": (
            services.deadline_message(active, application.tenant)
            if active is not None
            and services.deadline_passed(active, timezone.now())
            and services.can_decide(request.user, active, Action.APPROVE)
            else ""
        ),
        # The unit filed no 推荐人员名单 by the window's cut-off (003 三(一)3): shown to every level.
        "roster_excluded": roster_exclusion(application),
        "targets": targets,
        "problem_rows": range(5),
        "templates": {str(k): _opinion_options(k) for k in OPINION_TEMPLATES},
        "timeline": selectors.application_timeline(application),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    application = selectors.get_application_for_reviewer(request.user, pk)
    audit_read(request=request, what="application", target=application, subject=application.applicant)
    return render(request, "review/detail.html", _detail_context(request, application))


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    application = selectors.get_application_for_reviewer(request.user, pk)
    action = request.POST.get("action", "")
    opinion = request.POST.get("opinion", "").strip() or request.POST.get("opinion_template", "").strip()
    problems = [
        services.Problem(target, message)
        for target, message in zip(
            request.POST.getlist("problem_target"), request.POST.getlist("problem_message"), strict=False
        )
    ]
    try:
        services.review_decide(
            actor=request.user,
            application=application,
            action=action,
            opinion=opinion,
            problems=problems,
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        context = _detail_context(request, application)
        context["errors"] = error.messages
        context["posted_action"] = action
        return render(request, "review/detail.html", context, status=400)
    messages.success(
        request,
        _("已%(action)s：%(name)s的申报。") % {"action": Action(action).label, "name": application.applicant.full_name},
    )
    return redirect(reverse("review:queue"))


@login_required
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    applications = list(selectors.applications_for_reviewer(request.user).filter(pk__in=ids).order_by("pk"))
    opinion = request.POST.get("opinion", "").strip() or request.POST.get("opinion_template", "").strip()
    if not applications:
        messages.error(request, _("请至少勾选一份申报。"))
        return redirect(reverse("review:queue"))
    result = services.review_bulk_approve(
        actor=request.user, applications=applications, opinion=opinion, request=request
    )
    if result.approved:
        messages.success(request, _("已批量通过%(count)d份申报。") % {"count": len(result.approved)})
    names = {a.pk: a.applicant.full_name for a in applications}
    for pk, reason in result.failed.items():
        messages.error(request, _("%(name)s：%(reason)s") % {"name": names[pk], "reason": reason})
    return redirect(reverse("review:queue"))

"""Committee pages: the secretary's (committees, pool, plan, draw, close, minutes), the expert's (my
meetings, assigned snapshots, vote) and the bureau's (results). Thin: parse, fetch through a scoped
getter, call one service, render. Anything outside the user's remit is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from committees import forms, permissions, selectors, services
from committees.models import Expert, Meeting
from core.forms import add_service_errors


def _message(error: ValidationError) -> str:
    return "；".join(error.messages)


def _require_secretary(request: HttpRequest) -> None:
    if not permissions.is_secretary(request.user):
        raise Http404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _require_secretary(request)
    committees = list(selectors.committees_for(request.user).order_by("name", "id"))
    meetings = list(selectors.meetings_for_secretary(request.user).order_by("-starts_at", "-id")[:50])
    return render(request, "committees/home.html", {"committees": committees, "meetings": meetings})


@login_required
def committee_create(request: HttpRequest) -> HttpResponse:
    _require_secretary(request)
    form = forms.CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "评审委员会已创建。")
            return redirect("committees:committee_detail", pk=committee.pk)
    return render(request, "committees/committee_form.html", {"form": form})


def _pool_context(request: HttpRequest, committee, expert_form=None) -> dict:
    today = timezone.localdate()
    experts = list(committee.experts.select_related("user").order_by("id"))
    eligible = {e.pk for e in selectors.eligible_experts(committee, today)}
    return {
        "committee": committee,
        "experts": [(e, e.pk in eligible, e.age_on(today), e.is_young(today)) for e in experts],
        "shares": selectors.pool_shares(committee, experts, today),
        "expert_form": expert_form or forms.ExpertForm(tenant_id=request.user.tenant_id),
        "status_choices": Expert.Status.choices,
        "candidates": selectors.agenda_candidates(committee),
    }


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_secretary(request.user, pk)
    return render(request, "committees/committee_detail.html", _pool_context(request, committee))


@login_required
@require_POST
def expert_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_secretary(request.user, pk)
    form = forms.ExpertForm(request.POST, tenant_id=request.user.tenant_id)
    if form.is_valid():
        try:
            services.expert_enrol(actor=request.user, committee=committee, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "专家已加入专家库。")
            return redirect("committees:committee_detail", pk=committee.pk)
    return render(request, "committees/committee_detail.html", _pool_context(request, committee, form), status=400)


@login_required
@require_POST
def expert_status(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.get_expert_for_secretary(request.user, pk)
    form = forms.ExpertStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择专家状态，原因不超过200字。")
        services.expert_set_status(actor=request.user, expert=expert, request=request, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, f"已将{expert.user.full_name}调整为“{expert.get_status_display()}”。")
    committee = expert.committees.filter(tenant_id=request.user.tenant_id).first()
    return redirect("committees:committee_detail", pk=committee.pk) if committee else redirect("committees:home")


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_secretary(request.user, pk)
    candidates = selectors.agenda_candidates(committee)
    form = forms.PlanForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_plan_file(
                actor=request.user, committee=committee, title=data["title"], location=data["location"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], expert_count=data["expert_count"],
                application_ids=[int(pk) for pk in data["applications"]], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "评审工作方案已报备。")
            return redirect("committees:meeting_detail", pk=meeting.pk)
    first = services.first_allowed_meeting_date(timezone.localdate())
    return render(request, "committees/meeting_form.html", {"form": form, "committee": committee, "first": first})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_secretary(request.user, pk)
    assignments = list(meeting.assignments.select_related("expert__user").order_by("draw_order"))
    items = list(meeting.items.select_related("application__applicant", "application__unit").order_by("order"))
    # While the meeting is open the secretary sees how many have voted, never how.
    cast = {}
    if meeting.status == Meeting.Status.DRAWN:
        from django.db.models import Count

        cast = dict(meeting.items.annotate(n=Count("votes")).values_list("pk", "n"))
    return render(
        request,
        "committees/meeting_detail.html",
        {
            "meeting": meeting,
            "assignments": assignments,
            "items": [(item, cast.get(item.pk, 0)) for item in items],
            "quorum": services.quorum(len(assignments)) if assignments else None,
            "close_form": forms.CloseForm(),
        },
    )


def _post_action(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    meeting = selectors.get_meeting_for_secretary(request.user, pk)
    try:
        action(meeting)
    except ValidationError as error:
        messages.error(request, _message(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, success)
    return redirect("committees:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_draw(request: HttpRequest, pk: int) -> HttpResponse:
    seed = request.POST.get("seed", "")[:64]
    return _post_action(
        request, pk,
        lambda m: services.meeting_draw_experts(actor=request.user, meeting=m, seed=seed, request=request),
        "已随机抽取评审专家，回避人员已排除。",
    )


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    absent = [int(v) for v in request.POST.getlist("absent") if v.isdigit()]
    return _post_action(
        request, pk,
        lambda m: services.attendance_set(actor=request.user, meeting=m, absent_expert_ids=absent, request=request),
        "出席情况已登记。",
    )


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    discussion = request.POST.get("discussion", "")
    return _post_action(
        request, pk,
        lambda m: services.meeting_close(actor=request.user, meeting=m, discussion=discussion, request=request),
        "会议已结束，表决结果已计入各申报的审核链；会议纪要正在生成。",
    )


@login_required
@require_POST
def meeting_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request, pk,
        lambda m: services.meeting_report(actor=request.user, meeting=m, request=request),
        "评审结果已报送人社部门并公示。",
    )


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_result_for(request.user, pk)
    return render(request, "committees/minutes.html", services.minutes_context(meeting))


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_result_for(request.user, pk)
    if not meeting.minutes_pdf:
        raise Http404
    return FileResponse(meeting.minutes_pdf.open("rb"), as_attachment=True, filename=f"评审会议纪要-{meeting.pk}.pdf",
                        content_type="application/pdf")


# --- Experts --------------------------------------------------------------------------------------


def _require_expert(request: HttpRequest) -> None:
    if not permissions.is_expert(request.user):
        raise Http404


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    _require_expert(request)
    meetings = list(selectors.meetings_for_expert(request.user).order_by("-starts_at", "-id")[:50])
    return render(request, "committees/my_meetings.html", {"meetings": meetings})


@login_required
def expert_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_expert(request.user, pk)
    items = selectors.items_for_expert(request.user, meeting)
    return render(
        request,
        "committees/expert_meeting.html",
        {"meeting": meeting, "items": [(i, i.my_votes[0] if i.my_votes else None) for i in items],
         "closed": meeting.status in (Meeting.Status.CLOSED, Meeting.Status.REPORTED)},
    )


def _item_context(request: HttpRequest, item, form=None) -> dict:
    own = item.votes.filter(expert__user=request.user).first()
    snapshot = item.submission.snapshot
    return {
        "item": item,
        "meeting": item.meeting,
        "snapshot": snapshot,
        "app": snapshot.get("application", {}),
        "my_vote": own,
        "open": item.meeting.status == Meeting.Status.DRAWN,
        "closed": item.meeting.status in (Meeting.Status.CLOSED, Meeting.Status.REPORTED),
        "form": form or forms.VoteForm(initial={"choice": own.choice} if own else None),
    }


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_expert(request.user, pk)
    return render(request, "committees/item_detail.html", _item_context(request, item))


@login_required
@require_POST
def item_vote(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_expert(request.user, pk)
    form = forms.VoteForm(request.POST)
    if form.is_valid():
        try:
            services.vote_cast(actor=request.user, item=item, choice=form.cleaned_data["choice"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "表决意见已提交，会议结束前可以修改。")
            return redirect("committees:expert_meeting", pk=item.meeting_id)
    return render(request, "committees/item_detail.html", _item_context(request, item, form), status=400)


# --- Bureau ---------------------------------------------------------------------------------------


@login_required
def results(request: HttpRequest) -> HttpResponse:
    if not permissions.is_results_reader(request.user):
        raise Http404
    meetings = list(selectors.results_for(request.user).order_by("-reported_at", "-id")[:50])
    return render(request, "committees/results.html", {"meetings": meetings})

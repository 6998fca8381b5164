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
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from committees import forms, permissions, selectors, services
from committees.models import Expert, Meeting
from committees.snapshot import present
from core import crypto
from core.audit import audit
from core.forms import add_service_errors

INITIAL_PASSWORDS_KEY = "committees_initial_passwords"


def _message(error: ValidationError) -> str:
    return gettext("；").join(error.messages)


def _require_secretary(request: HttpRequest) -> None:
    if not permissions.is_secretary(request.user):
        raise Http404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not permissions.is_pool_manager(request.user):
        raise Http404
    committees = list(selectors.committees_for_pool_manager(request.user).order_by("name", "id"))
    meetings = list(selectors.meetings_for_secretary(request.user).order_by("-starts_at", "-id")[:50])
    return render(request, "committees/home.html", {
        "committees": committees, "meetings": meetings, "is_secretary": permissions.is_secretary(request.user),
    })


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
            messages.success(request, gettext("评审委员会已创建。"))
            return redirect("committees:committee_detail", pk=committee.pk)
    return render(request, "committees/committee_form.html", {"form": form})


def _pool_context(request: HttpRequest, committee, expert_form=None, account_form=None, import_form=None,
                  import_errors=None) -> dict:
    today = timezone.localdate()
    experts = list(committee.experts.select_related("user").order_by("id"))
    eligible = {e.pk for e in selectors.eligible_experts(committee, today)}
    is_secretary = permissions.is_secretary(request.user)
    candidates = selectors.agenda_candidates(committee) if is_secretary else []
    return {
        "committee": committee,
        "experts": [(e, e.pk in eligible, e.age_on(today), e.is_young(today)) for e in experts],
        "shares": selectors.pool_shares(committee, experts, today),
        "expert_form": expert_form or forms.ExpertForm(tenant_id=request.user.tenant_id, prefix="existing"),
        "account_form": account_form or forms.ExpertAccountForm(committee=committee, prefix="account"),
        "import_form": import_form or forms.ExpertImportForm(),
        "import_errors": import_errors or [],
        "status_choices": Expert.Status.choices,
        "candidates": candidates,
        "drawable": selectors.drawable(committee, today, candidates) if is_secretary else None,
        "is_secretary": is_secretary,
        "open_plans": list(committee.meetings.filter(status=Meeting.Status.PLANNED).order_by("starts_at"))
        if is_secretary else [],
    }


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_pool_manager(request.user, pk)
    return render(request, "committees/committee_detail.html", _pool_context(request, committee))


@login_required
@require_POST
def expert_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_pool_manager(request.user, pk)
    form = forms.ExpertForm(request.POST, tenant_id=request.user.tenant_id, prefix="existing")
    if form.is_valid():
        try:
            services.expert_enrol(actor=request.user, committee=committee, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("专家已加入专家库。"))
            return redirect("committees:committee_detail", pk=committee.pk)
    return render(request, "committees/committee_detail.html", _pool_context(request, committee, form), status=400)


def _show_passwords_once(request: HttpRequest, committee, created) -> HttpResponse:
    """Keep the new logins' initial passwords (encrypted) for exactly one page view."""
    import json

    rows = [{"username": e.user.username, "full_name": e.user.full_name, "password": password}
            for e, password in created]
    request.session[INITIAL_PASSWORDS_KEY] = {
        "committee": committee.pk, "rows": crypto.encrypt(json.dumps(rows, ensure_ascii=False)),
    }
    return redirect("committees:experts_created", pk=committee.pk)


@login_required
@require_POST
def expert_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_pool_manager(request.user, pk)
    form = forms.ExpertAccountForm(request.POST, committee=committee, prefix="account")
    if form.is_valid():
        try:
            created = services.expert_account_create(
                actor=request.user, committee=committee, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _show_passwords_once(request, committee, [created])
    # 200, not 400: the page is the form again with its errors (a 4xx page is a console error).
    context = _pool_context(request, committee, account_form=form)
    return render(request, "committees/committee_detail.html", context)


@login_required
@require_POST
def expert_import(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_pool_manager(request.user, pk)
    form = forms.ExpertImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        try:
            created = services.expert_import(actor=request.user, committee=committee, upload=form.cleaned_data["file"],
                                             request=request)
        except ValidationError as error:
            problems = error.messages
        else:
            return _show_passwords_once(request, committee, created)
    context = _pool_context(request, committee, import_form=form, import_errors=problems)
    return render(request, "committees/committee_detail.html", context)


@login_required
def expert_import_template(request: HttpRequest) -> HttpResponse:
    """The expert list template: the columns of ``services.IMPORT_COLUMNS`` and one example row."""
    import io

    from openpyxl import Workbook

    if not permissions.is_pool_manager(request.user):
        raise Http404
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "专家名单"
    sheet.append(list(services.IMPORT_COLUMNS))
    sheet.append(["zhangsan-expert", "张三", "工程", "土木工程", "正高级工程师", "某某设计研究院", "1978年5月1日", "否",
                  "在库", ""])
    for column, width in zip("ABCDEFGHIJ", (18, 10, 14, 14, 16, 24, 14, 10, 10, 20), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, "专家名单模板.xlsx")
    return response


@login_required
def experts_created(request: HttpRequest, pk: int) -> HttpResponse:
    """The new experts' one-time initial passwords, shown once (a reload shows them no more)."""
    import json

    committee = selectors.get_committee_for_pool_manager(request.user, pk)
    kept = request.session.pop(INITIAL_PASSWORDS_KEY, None)
    rows = []
    if kept and kept.get("committee") == committee.pk:
        rows = json.loads(crypto.decrypt(kept["rows"]))
        audit(action="expert_initial_passwords_shown", actor=request.user, target=committee, request=request,
              count=len(rows))
    response = render(request, "committees/experts_created.html", {"committee": committee, "rows": rows})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def expert_status(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.get_expert_for_secretary(request.user, pk)
    form = forms.ExpertStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(gettext("请选择专家状态，原因不超过200字。"))
        services.expert_set_status(actor=request.user, expert=expert, request=request, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, gettext("已将%(full_name)s调整为“%(status)s”。") % {
            "full_name": expert.user.full_name,
            "status": expert.get_status_display(),
        })
    committee = expert.committees.filter(tenant_id=request.user.tenant_id).first()
    return redirect("committees:committee_detail", pk=committee.pk) if committee else redirect("committees:home")


def _plan_page(request: HttpRequest, committee, meeting=None) -> HttpResponse:
    candidates = selectors.agenda_candidates(committee, meeting)
    today = timezone.localdate()
    available = selectors.drawable(committee, today, candidates)
    initial = None
    if meeting is not None:
        initial = {
            "title": meeting.title, "location": meeting.location,
            "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "expert_count": meeting.expert_count,
            "applications": [str(pk) for pk in meeting.items.values_list("application_id", flat=True)],
        }
    form = forms.PlanForm(request.POST or None, initial=initial, candidates=candidates,
                          drawable=None if meeting is not None else available.count)
    if meeting is not None:
        form.fields["expert_count"].help_text = gettext("按今天的专家库，%(available)s。") % {
            "available": available.explain(),
        }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"], "location": data["location"], "starts_at": data["starts_at"],
            "ends_at": data["ends_at"], "expert_count": data["expert_count"],
            "application_ids": [int(pk) for pk in data["applications"]], "request": request,
        }
        try:
            if meeting is None:
                meeting = services.meeting_plan_file(actor=request.user, committee=committee, **fields)
                messages.success(request, gettext("评审工作方案已报备。"))
            else:
                services.meeting_plan_update(actor=request.user, meeting=meeting, **fields)
                messages.success(request, gettext("评审工作方案已修改并重新报备。"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("committees:meeting_detail", pk=meeting.pk)
    first = services.first_allowed_meeting_date(today)
    return render(request, "committees/meeting_form.html", {
        "form": form, "committee": committee, "first": first, "meeting": meeting, "drawable": available,
    })


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.get_committee_for_secretary(request.user, pk)
    return _plan_page(request, committee)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_secretary(request.user, pk)
    if meeting.status != Meeting.Status.PLANNED:
        messages.error(request, gettext("专家已抽取或方案已撤回，评审方案不能再修改。"))
        return redirect("committees:meeting_detail", pk=meeting.pk)
    return _plan_page(request, meeting.committee, meeting)


@login_required
@require_POST
def meeting_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _post_action(
        request, pk,
        lambda m: services.meeting_plan_withdraw(actor=request.user, meeting=m, reason=reason, request=request),
        gettext("评审工作方案已撤回，议程中的申报可列入新的评审方案。"),
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.db.models import Count

    meeting = selectors.get_meeting_for_secretary(request.user, pk)
    assignments = list(meeting.assignments.select_related("expert__user").order_by("draw_order"))
    items = list(meeting.items.select_related("application__applicant", "application__unit").order_by("order"))
    # While the meeting is open the secretary sees how many have voted, never how.
    cast = {}
    if meeting.status == Meeting.Status.DRAWN:
        cast = dict(meeting.items.annotate(n=Count("votes")).values_list("pk", "n"))
    today = timezone.localdate()
    drawable = None
    if meeting.status == Meeting.Status.PLANNED:
        drawable = selectors.drawable(meeting.committee, meeting.meeting_day, [i.application for i in items])
    pledged = selectors.has_pledged(request.user, meeting)
    signed_experts = set(meeting.pledges.values_list("user_id", flat=True))
    objections = list(meeting.objections.select_related("item__application__applicant").order_by("id"))
    return render(
        request,
        "committees/meeting_detail.html",
        {
            "meeting": meeting,
            "assignments": [(row, row.expert.user_id in signed_experts) for row in assignments],
            "items": [(item, cast.get(item.pk, 0)) for item in items],
            "quorum": services.quorum(len(assignments)) if assignments else None,
            "close_form": forms.CloseForm(),
            "withdraw_form": forms.WithdrawForm(),
            "drawable": drawable,
            "pledged": pledged,
            "pledge_form": forms.PledgeForm(),
            "pledge_text": services.PLEDGE_TEXT,
            "before_meeting_day": today < meeting.meeting_day,
            "can_close_now": timezone.now() >= meeting.starts_at,
            "report_overdue": meeting.report_due_on is not None and today > meeting.report_due_on,
            "objections": [(o, forms.ObjectionResolveForm(prefix=f"o{o.pk}")) for o in objections],
            "objection_form": forms.ObjectionForm(items=items),
            "publicity_open": meeting.status == Meeting.Status.REPORTED
            and (meeting.publicity_ends_on is None or today <= meeting.publicity_ends_on),
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
        gettext("已随机抽取评审专家，回避人员已排除。"),
    )


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    absent = [int(v) for v in request.POST.getlist("absent") if v.isdigit()]
    return _post_action(
        request, pk,
        lambda m: services.attendance_set(actor=request.user, meeting=m, absent_expert_ids=absent, request=request),
        gettext("出席情况已登记。"),
    )


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    discussion = request.POST.get("discussion", "")
    return _post_action(
        request, pk,
        lambda m: services.meeting_close(actor=request.user, meeting=m, discussion=discussion, request=request),
        gettext("会议已结束，表决结果已计入各申报的审核链；会议纪要正在生成。"),
    )


@login_required
@require_POST
def meeting_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request, pk,
        lambda m: services.meeting_report(actor=request.user, meeting=m, request=request),
        gettext("评审结果已报送人社部门并公示。"),
    )


@login_required
@require_POST
def meeting_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the meeting's 保密承诺书: the secretary from the meeting page, a drawn expert from theirs."""
    if permissions.is_secretary(request.user):
        meeting = selectors.get_meeting_for_secretary(request.user, pk)
        back = redirect("committees:meeting_detail", pk=meeting.pk)
    else:
        meeting = selectors.get_meeting_for_expert(request.user, pk)
        back = redirect("committees:expert_meeting", pk=meeting.pk)
    form = forms.PledgeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(gettext("请勾选同意保密承诺，并输入您的姓名作为签名。"))
        services.pledge_sign(actor=request.user, meeting=meeting, typed_name=form.cleaned_data["typed_name"],
                             agreed=form.cleaned_data["agreed"], request=request)
    except ValidationError as error:
        messages.error(request, _message(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, gettext("已签署保密承诺书。"))
    return back


@login_required
@require_POST
def objection_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_secretary(request.user, pk)
    form = forms.ObjectionForm(request.POST, items=list(meeting.items.select_related("application__applicant")))
    try:
        if not form.is_valid():
            raise ValidationError(gettext("请选择被反映的申报人，填写反映人真实姓名和反映内容。"))
        data = form.cleaned_data
        services.publicity_objection_lodge(
            actor=request.user, meeting=meeting, item_id=int(data["item"]), name=data["name"], phone=data["phone"],
            content=data["content"], request=request,
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, gettext("异议已登记；调查核实并记录结论前，该申报暂不发证。"))
    return redirect("committees:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.get_objection_for_secretary(request.user, pk)
    form = forms.ObjectionResolveForm(request.POST, prefix=f"o{objection.pk}")
    try:
        if not form.is_valid():
            raise ValidationError(gettext("请填写调查核实结论，并选择反映属实或不实。"))
        services.publicity_objection_resolve(actor=request.user, objection=objection,
                                             finding=form.cleaned_data["finding"],
                                             upheld=form.cleaned_data["upheld"], request=request)
    except ValidationError as error:
        messages.error(request, _message(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, gettext("已记录调查核实结论。"))
    return redirect("committees:meeting_detail", pk=objection.meeting_id)


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
    pledged = selectors.has_pledged(request.user, meeting)
    # Nothing of the agenda before the pledge (001 五(一)).
    items = selectors.items_for_expert(request.user, meeting) if pledged else []
    return render(
        request,
        "committees/expert_meeting.html",
        {"meeting": meeting, "items": [(i, i.my_votes[0] if i.my_votes else None) for i in items],
         "closed": meeting.status in (Meeting.Status.CLOSED, Meeting.Status.REPORTED),
         "pledged": pledged, "pledge_form": forms.PledgeForm(), "pledge_text": services.PLEDGE_TEXT,
         "before_meeting_day": timezone.localdate() < meeting.meeting_day},
    )


def _pledged_item(request: HttpRequest, pk: int):
    item = selectors.get_item_for_expert(request.user, pk)
    if not selectors.has_pledged(request.user, item.meeting):
        messages.error(request, gettext("请先签署本次评审会议的保密承诺书，再查看申报材料。"))
        return item, redirect("committees:expert_meeting", pk=item.meeting_id)
    return item, None


def _item_context(request: HttpRequest, item, form=None) -> dict:
    from review.selectors import application_timeline

    own = item.votes.filter(expert__user=request.user).first()
    snapshot = item.submission.snapshot
    meeting = item.meeting
    closed = meeting.status in (Meeting.Status.CLOSED, Meeting.Status.REPORTED)
    before_day = timezone.localdate() < meeting.meeting_day
    return {
        "item": item,
        "meeting": meeting,
        "shown": present(snapshot, item.application),
        "my_vote": own,
        "open": meeting.status == Meeting.Status.DRAWN and not before_day,
        "before_meeting_day": meeting.status == Meeting.Status.DRAWN and before_day,
        "voting_opens": services.voting_opens_message(meeting),
        "closed": closed,
        "timeline": application_timeline(item.application),
        "form": form or forms.VoteForm(initial={"choice": own.choice} if own else None),
    }


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item, refused = _pledged_item(request, pk)
    if refused:
        return refused
    return render(request, "committees/item_detail.html", _item_context(request, item))


@login_required
def item_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """One file of the item's frozen snapshot, shown inline (``?download=1`` to save it), after the
    pledge; every view is audited like the reviewers' download."""
    item, refused = _pledged_item(request, pk)
    if refused:
        raise Http404
    attachment = selectors.get_item_file_for_expert(request.user, item, file_pk)
    audit(action="committee_file_viewed", actor=request.user, target=attachment, request=request, item=item.pk)
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=attachment.original_name,
    )


@login_required
@require_POST
def item_vote(request: HttpRequest, pk: int) -> HttpResponse:
    item, refused = _pledged_item(request, pk)
    if refused:
        return refused
    form = forms.VoteForm(request.POST)
    if form.is_valid():
        try:
            services.vote_cast(actor=request.user, item=item, choice=form.cleaned_data["choice"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, gettext("表决意见已提交，会议结束前可以修改。"))
            return redirect("committees:expert_meeting", pk=item.meeting_id)
    return render(request, "committees/item_detail.html", _item_context(request, item, form), status=400)


# --- Bureau ---------------------------------------------------------------------------------------


@login_required
def results(request: HttpRequest) -> HttpResponse:
    if not permissions.is_results_reader(request.user):
        raise Http404
    meetings = list(selectors.results_for(request.user).order_by("-reported_at", "-id")[:50])
    return render(request, "committees/results.html", {
        "meetings": meetings, "is_pool_manager": permissions.is_pool_manager(request.user),
    })

"""Thin views: parse input, fetch through a scoped getter, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.models import UNIT_ROLES
from accounts.services import id_number_reveal
from core.audit import audit_read
from core.forms import add_service_errors
from units import services
from units.forms import (
    ApplicantForm,
    GreenChannelApprovalForm,
    RegistrationDecisionForm,
    ResetPasswordForm,
    RosterImportForm,
    UnitCorrectionForm,
    UnitRegistrationForm,
)
from units.models import Organisation
from units.permissions import can_approve_green_channel, can_decide_registration, can_manage_people
from units.selectors import (
    applicants_for_user,
    get_applicant_for_user,
    get_organisation_for_user,
    get_registration_for_user,
    get_roster_import_for_user,
    registrations_for_user,
)


def _own_unit(request: HttpRequest) -> Organisation:
    user = request.user
    if user.role not in UNIT_ROLES or not user.organisation_id:
        raise Http404
    return user.organisation


def register(request: HttpRequest) -> HttpResponse:
    form = UnitRegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registration = services.UnitRegistration(
            tenant=data["tenant"],
            name=data["name"],
            unit_kind=data["unit_kind"],
            credit_code=data["credit_code"],
            district=data["district"],
            competent_department=data["competent_department"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            address=data["address"],
            admin_username=data["admin_username"],
            admin_full_name=data["admin_full_name"],
            admin_password=data["admin_password"],
        )
        try:
            unit = services.unit_register(
                registration=registration,
                documents=[("营业执照或法人证书", upload) for upload in data["documents"]],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "units/register_done.html", {"unit": unit})
    return render(request, "units/register.html", {"form": form})


@login_required
def registrations(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Organisation.Status.PENDING)
    if status not in Organisation.Status.values:
        status = Organisation.Status.PENDING
    queryset = (
        registrations_for_user(request.user)
        .filter(status=status)
        .select_related("district", "competent_department", "managed_by")
        .order_by("created_at", "id")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request, "units/registrations.html", {"page": page, "status": status, "statuses": Organisation.Status.choices}
    )


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_registration_for_user(request.user, pk)
    form = RegistrationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_registration_decide(
                actor=request.user,
                unit=unit,
                approve=form.cleaned_data["decision"] == "approve",
                reasons=form.reason_list(),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("已完成对“%(name)s”的注册审核。") % {"name": unit.name})
            return redirect("units:registrations")
    return render(
        request,
        "units/registration_detail.html",
        {
            "unit": unit,
            "form": form,
            "documents": unit.registration_documents.all(),
            "can_decide": can_decide_registration(request.user, unit),
        },
    )


@login_required
def registration_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    unit = get_organisation_for_user(request.user, pk)
    document = get_object_or_404(unit.registration_documents, pk=document_pk)
    from core.audit import audit

    audit(action="registration_document_downloaded", actor=request.user, target=document, request=request)
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=False,
        filename=document.original_name,
    )


@login_required
def my_unit(request: HttpRequest) -> HttpResponse:
    unit = _own_unit(request)
    form = None
    if unit.status == Organisation.Status.REJECTED:
        initial = {
            field: getattr(unit, field) for field in ("name", "credit_code", "contact_name", "contact_phone", "address")
        }
        form = UnitCorrectionForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            correction = services.UnitCorrection(**{k: v for k, v in data.items() if k != "documents"})
            try:
                services.unit_registration_resubmit(
                    actor=request.user,
                    unit=unit,
                    correction=correction,
                    request=request,
                    documents=[("补充材料", upload) for upload in data["documents"]],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, gettext("已修改并重新提交注册申请，请等待审核。"))
                return redirect("units:my_unit")
    return render(
        request, "units/my_unit.html", {"unit": unit, "form": form, "documents": unit.registration_documents.all()}
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    queryset = (
        applicants_for_user(request.user)
        .only(
            "id",
            "full_name",
            "id_number_masked",
            "phone",
            "personnel_nature",
            "green_channel",
            "must_change_password",
            "organisation__name",
        )
        .order_by("-id")
    )
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(full_name__contains=query)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    unit = request.user.organisation if request.user.role in UNIT_ROLES else None
    audit_read(request=request, what="people", rows=len(page.object_list), page=page.number)
    return render(
        request,
        "units/people.html",
        {
            "page": page,
            "query": query,
            "unit": unit,
            "can_manage": unit is not None and can_manage_people(request.user, unit),
        },
    )


@login_required
def person_add(request: HttpRequest) -> HttpResponse:
    unit = _own_unit(request)
    form = ApplicantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.applicant_create(actor=request.user, unit=unit, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, gettext(
                "已为%(full_name)s创建申报账号。申报人首次登录须修改初始密码。"
            ) % {"full_name": person.full_name})
            return redirect("units:person_detail", pk=person.pk)
    return render(request, "units/person_add.html", {"form": form, "unit": unit})


def _person_page(request, person, **extra) -> HttpResponse:
    unit = person.organisation
    audit_read(request=request, what="person", target=person, subject=person)
    return render(
        request,
        "units/person_detail.html",
        {
            "person": person,
            "can_manage": can_manage_people(request.user, unit),
            "can_approve_green": can_approve_green_channel(request.user, person),
            "reset_form": ResetPasswordForm(),
            "green_form": GreenChannelApprovalForm(),
            **extra,
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, get_applicant_for_user(request.user, pk))


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_applicant_for_user(request.user, pk)
    try:
        full = id_number_reveal(actor=request.user, person=person, request=request)
    except PermissionDenied:
        messages.error(request, gettext("您的角色无权查看完整身份证号。"))
        return redirect("units:person_detail", pk=pk)
    return _person_page(request, person, revealed=full)


@login_required
@require_POST
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_applicant_for_user(request.user, pk)
    form = ResetPasswordForm(request.POST)
    form.is_valid()
    try:
        services.applicant_reset_password(
            actor=request.user, person=person, new_password=form.cleaned_data.get("new_password", ""), request=request
        )
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, gettext("已重置为初始密码，申报人下次登录须修改密码。"))
    return redirect("units:person_detail", pk=pk)


@login_required
@require_POST
def person_green_channel(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_applicant_for_user(request.user, pk)
    try:
        if "document" in request.POST:
            services.green_channel_approve(
                actor=request.user, person=person, document=request.POST.get("document", ""), request=request
            )
        else:
            services.green_channel_set(
                actor=request.user, person=person, enabled=request.POST.get("enabled") == "1", request=request
            )
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, gettext("绿色通道设置已保存。"))
    return redirect("units:person_detail", pk=pk)


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    unit = _own_unit(request)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.roster_import_start(
                actor=request.user,
                unit=unit,
                request=request,
                upload=form.cleaned_data["file"],
                initial_password=form.cleaned_data["initial_password"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect("units:roster_import_status", pk=job.pk)
    columns = services.roster_headers()
    return render(request, "units/roster_import.html", {"form": form, "unit": unit, "columns": columns})


@login_required
def roster_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_roster_import_for_user(request.user, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "progress": job.progress_percent,
                "created": job.created_count,
                "errors": len(job.errors),
            }
        )
    return render(request, "units/roster_import_status.html", {"job": job})


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    _own_unit(request)
    from core.spreadsheets import HEADER_FILL, HEADER_FONT, column_widths, workbook_bytes, xlsx_response

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申报人员花名册"
    headers = services.roster_headers()
    sheet.append(headers)
    sheet.freeze_panes = "A2"
    widths = column_widths([headers], minimum=22)
    for index, column in enumerate("ABCDE"):
        sheet.column_dimensions[column].width = widths[index] if index < len(widths) else 22
        sheet[f"{column}1"].font = HEADER_FONT
        sheet[f"{column}1"].fill = HEADER_FILL
        # Text format, so that Excel keeps all 18 digits of an ID number instead of rounding it.
        for row in range(2, services.ROSTER_MAX_ROWS + 2):
            sheet[f"{column}{row}"].number_format = "@"
    return xlsx_response(workbook_bytes(workbook), "申报人员花名册模板", "roster-template", stamp=False)

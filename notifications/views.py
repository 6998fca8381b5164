"""The inbox (站内信): the user's own messages only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notifications import services
from notifications.models import Notification

INBOX_LIMIT = 100


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = list(Notification.objects.filter(recipient=request.user)[:INBOX_LIMIT])
    return render(request, "notifications/inbox.html", {"rows": rows})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    services.mark_read(actor=request.user, ids=ids or None)
    return redirect(reverse("notifications:inbox"))

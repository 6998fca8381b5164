"""Two views with nothing of the product in them but its middleware, settings and database.

``bare_list`` lists 20 rows of the 100,000-row applications table by its primary-key index through a
template; ``bare_insert`` writes one row in one transaction and redirects, as a submit does.
"""

from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from applications.models import Application

from .models import BareRow


@require_GET
def bare_list(request):
    rows = Application.objects.order_by("-id").values("id", "status", "specialty", "updated_at")[:20]
    return render(request, "bare/list.html", {"rows": rows})


@require_POST
def bare_insert(request):
    with transaction.atomic():
        row = BareRow.objects.create(author_id=request.user.pk or 0, payload=request.POST.get("payload", "")[:200])
    return HttpResponseRedirect(f"/bench-bare/list/?after={row.pk}")

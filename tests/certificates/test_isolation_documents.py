"""Tenant isolation of the certificates routes, with them mounted as config/urls.py will mount
them: every role of one tenant gets 404 for another tenant's documents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import test_isolation as matrix

pytestmark = pytest.mark.django_db

ROUTES = [
    "certificates:application_documents",
    "certificates:document_request",
    "certificates:job_status",
    "certificates:download",
    "certificates_api:document_request",
    "certificates_api:job_detail",
    "certificates:window_job",
    "certificates:window_job_status",
    "certificates:window_job_download",
]

# The bureau's own window-documents page and its request form (tests/certificates/test_rosters.py).
WINDOW_PAGES = ["certificates:window_documents", "certificates:window_document_request"]

# The electronic certificates' routes; their isolation is covered by tests/test_isolation.py and
# tests/certificates/test_certificates.py.
CERTIFICATE_ROUTES = [
    "certificates:certificate_list",
    "certificates:my_certificates",
    "certificates:batch_issue",
    "certificates:batch_detail",
    "certificates:batch_status",
    "certificates:certificate_download",
    "certificates:certificate_revoke",
    "certificates:verify_lookup",
    "certificates:verify",
    "certificates:verify_upload",
    "certificates:certificate_reissue",
    "certificates:fee_list",
    "certificates:fee_record",
    "certificates:fee_paid",
    "certificates_api:my_certificates",
    "certificates_api:bureau_certificates",
    "certificates_api:certificate_detail",
    "certificates_api:verify",
    "certificates_api:certificate_revoke",
    "certificates_api:certificate_reissue",
    "certificates_api:batches",
    "certificates_api:batch_detail",
    "certificates_api:fees",
    "certificates_api:fee_paid",
]


def test_it_knows_every_certificates_route():
    mounted = {name for name, route in matrix.all_routes() if name.startswith("certificates")}
    assert mounted == set(ROUTES) | set(CERTIFICATE_ROUTES) | set(WINDOW_PAGES)
    assert all(name in matrix.FOREIGN_KWARGS for name in ROUTES)


def test_it_answers_404_for_another_tenants_documents_for_every_role(client):
    home, foreign = matrix.world()
    objects = matrix.foreign_objects(foreign)
    leaks = []
    for user in matrix.home_users(home):
        client.force_login(user)
        for name in ROUTES:
            url = reverse(name, kwargs=matrix.FOREIGN_KWARGS[name](objects))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code not in (404, 405):
                    leaks.append((user.username, method, name, response.status_code))
        client.logout()
    assert leaks == []

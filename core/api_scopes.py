"""Which scope an API token needs for each endpoint: one table, read by the token authentication
(``accounts.tokens.TokenAuthentication``). An endpoint not listed here does not accept tokens at
all (secure by default: a new endpoint is for browsers until someone decides otherwise)."""

from __future__ import annotations

READ = "applications:read"
REVIEW = "review"
ISSUE = "certificates:issue"
MANAGE = "tenant:manage"
ANY = "*"  # any valid token (who am I)

# view name → scope, or {method: scope} where reads and writes differ.
SCOPES: dict[str, str | dict[str, str]] = {
    "me": ANY,
    "tenant-list": READ,
    "tenant-detail": READ,
    "organisation-list": READ,
    "organisation-detail": READ,
    "registration-list": READ,
    "registration-detail": READ,
    "registration-decide": MANAGE,
    "applicant-list": {"GET": READ, "POST": MANAGE},
    "applicant-detail": READ,
    "roster-import-list": READ,
    "roster-import-detail": READ,
    "rules_api:evaluate": READ,
    "rules_api:materials": READ,
    "rules_api:versions": READ,
    "rules_api:version": {"GET": READ, "PUT": MANAGE},
    "rules_api:validate": READ,
    "rules_api:bench": READ,
    "rules_api:draft_create": MANAGE,
    "rules_api:case_create": MANAGE,
    "rules_api:publish": MANAGE,
    "review_api:queue": READ,
    "review_api:decide": REVIEW,
    "review_api:queue_export": READ,
    "review_api:statistics_export": READ,
    "review_api:integrity": {"GET": READ, "POST": REVIEW},
    "review_api:unit_procedures": {"GET": READ, "POST": REVIEW},
    "review_api:unit_procedure": READ,
    # The unit procedure (group, scores, quota, publicity, objections, recommendation): a unit's HR system.
    **{
        f"review_api:{name}": REVIEW
        for name in (
            "unit_members", "unit_candidates", "unit_scores", "unit_quota", "unit_publicity", "unit_objections",
            "unit_close", "unit_recommend", "unit_objection_resolve", "unit_dispatch_approve",
        )
    },
    "review_api:unit_publicity_sheet": READ,
    "certificates_api:document_request": READ,
    "certificates_api:job_detail": READ,
    "certificates_api:bureau_certificates": READ,
    "certificates_api:certificate_detail": READ,
    "certificates_api:batches": {"GET": READ, "POST": ISSUE},
    "certificates_api:batch_detail": READ,
    "certificates_api:certificate_revoke": ISSUE,
    "certificates_api:certificate_reissue": ISSUE,
    "certificates_api:fees": {"GET": READ, "POST": ISSUE},
    "certificates_api:fee_paid": ISSUE,
    "committees_api:committee_list": READ,
    "committees_api:meeting_list": READ,
    "committees_api:meeting_detail": READ,
    "committees_api:results": READ,
    "tenant_document": MANAGE,
    "tenant_windows": {"GET": READ, "PUT": MANAGE},
}


def required_scope(view_name: str | None, method: str) -> str | None:
    """The scope a token needs here, or None when tokens are not accepted."""
    entry = SCOPES.get(view_name or "")
    if isinstance(entry, dict):
        method = "GET" if method in ("HEAD", "OPTIONS") else method
        return entry.get(method)
    return entry

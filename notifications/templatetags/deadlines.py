"""Deadline flags for templates: ``step|is_overdue`` and the reviewer's dashboard card."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.utils import timezone

register = template.Library()


@register.filter
def is_overdue(step) -> bool:
    """An active review step past its level's deadline (ReviewStep.deadline)."""
    return bool(
        getattr(step, "status", "") == "active" and step.deadline is not None and step.deadline < timezone.now()
    )


@register.inclusion_tag("notifications/_deadlines_card.html")
def review_deadlines(user) -> dict:
    """The reviewer's pending and overdue counts (one query), for the dashboard."""
    from review.models import ReviewStep
    from review.selectors import is_reviewer, steps_held_by

    if not is_reviewer(user):
        return {"show": False}
    active = Q(status=ReviewStep.Status.ACTIVE)
    counts = steps_held_by(user).aggregate(
        active=Count("id", filter=active), overdue=Count("id", filter=active & Q(deadline__lt=timezone.now()))
    )
    return {"show": True, **counts}

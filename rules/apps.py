from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_shipped_data(sender, verbosity: int = 1, **kwargs) -> None:
    from rules.catalog import sync_shipped_data

    sync_shipped_data(verbosity=verbosity)


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("规则与申报批次")

    def ready(self) -> None:
        # The rule sets and seeded windows are data files in the repository; every migrate
        # loads new ones (idempotently), so a fresh database is usable without a fixture step.
        post_migrate.connect(_load_shipped_data, sender=self, dispatch_uid="rules.load_shipped_data")

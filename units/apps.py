from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "租户与单位"

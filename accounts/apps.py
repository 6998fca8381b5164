from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from accounts import schema, signals  # noqa: F401 - login audit receivers; the token's OpenAPI scheme

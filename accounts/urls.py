from django.urls import path

from accounts import service_account_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.password_change, name="password_change"),
    path("two-factor/", views.two_factor, name="two_factor"),
    # Not under /accounts/two-factor/: that prefix is reachable before the second factor.
    path("staff/two-factor/", views.two_factor_staff, name="two_factor_staff"),
    path("staff/<int:pk>/two-factor/reset/", views.two_factor_reset, name="two_factor_reset"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("service-accounts/", service_account_views.service_account_list, name="service_accounts"),
    path("service-accounts/<int:pk>/", service_account_views.service_account_detail, name="service_account"),
    path(
        "service-accounts/<int:pk>/tokens/<int:token_pk>/revoke/",
        service_account_views.service_account_token_revoke,
        name="service_account_token_revoke",
    ),
    path(
        "service-accounts/<int:pk>/deactivate/",
        service_account_views.service_account_deactivate,
        name="service_account_deactivate",
    ),
]

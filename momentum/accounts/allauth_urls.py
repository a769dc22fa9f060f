"""allauth's pages under /accounts/, with two of them replaced by versions that answer a throttled
sign-in with 429 and Retry-After (momentum.accounts.views)."""

from django.urls import URLPattern, URLResolver, include, path

from momentum.accounts import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views.login, name="account_login"),
    path("2fa/authenticate/", views.mfa_authenticate, name="mfa_authenticate"),
    path("", include("allauth.urls")),
]

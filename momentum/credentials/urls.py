"""Pages of the credentials app: the issuer's well-known documents."""

from django.urls import URLPattern, URLResolver, path

from momentum.credentials import views

app_name = "credentials"
urlpatterns: list[URLPattern | URLResolver] = [
    path(".well-known/did.json", views.did_document, name="did_document"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
]

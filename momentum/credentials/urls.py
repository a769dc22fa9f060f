"""Pages of the credentials app."""

from django.urls import URLPattern, URLResolver, path

from momentum.credentials import studio_views, views

app_name = "credentials"
urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/credentials/", views.wallet, name="wallet"),
    path("certificates/<str:id>/", views.verify, name="verify"),
    path("certificates/<str:id>/card.png", views.card, name="card"),
    path("studio/certificates/", studio_views.certificates, name="studio_certificates"),
    path("studio/certificates/<str:id>/revoke/", studio_views.revoke, name="studio_revoke"),
    path(".well-known/did.json", views.did_document, name="did_document"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
]

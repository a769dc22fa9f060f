"""Pages of the generation app."""

from django.urls import URLPattern, URLResolver

app_name = "generation"
urlpatterns: list[URLPattern | URLResolver] = []

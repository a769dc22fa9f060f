"""Pages of the achievements app."""

from django.urls import URLPattern, URLResolver

app_name = "achievements"
urlpatterns: list[URLPattern | URLResolver] = []

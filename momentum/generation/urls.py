"""Pages of the generation app (the studio's generator)."""

from django.urls import URLPattern, URLResolver, path

from momentum.generation import views

app_name = "generation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/generate/", views.studio_generate, name="studio_generate"),
    path("studio/generate/jobs/<uuid:job>/", views.studio_job, name="studio_job"),
    path("studio/generate/jobs/<uuid:job>/progress/", views.studio_job_progress, name="studio_job_progress"),
    path("studio/generate/jobs/<uuid:job>/cancel/", views.studio_job_cancel, name="studio_job_cancel"),
    path("studio/generate/jobs/<uuid:job>/retry/", views.studio_job_retry, name="studio_job_retry"),
]

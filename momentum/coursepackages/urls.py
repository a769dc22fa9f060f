"""Studio pages of course packages."""

from django.urls import URLPattern, URLResolver, path

from momentum.coursepackages import studio_views

app_name = "coursepackages"
urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/courses/import/", studio_views.course_import, name="studio_import"),
    path("studio/courses/<int:pk>/export/", studio_views.course_export, name="studio_export"),
]

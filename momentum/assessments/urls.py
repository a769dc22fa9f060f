"""Pages of the assessments app: taking a lesson's quiz; the studio's quiz editor and report."""

from django.urls import URLPattern, URLResolver, path

from momentum.assessments import views

app_name = "assessments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("courses/<slug:slug>/day/<int:day>/quiz/", views.take_quiz, name="take"),
]

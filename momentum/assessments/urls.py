"""Pages of the assessments app: taking a lesson's quiz; the studio's quiz editor and report."""

from django.urls import URLPattern, URLResolver, path

from momentum.assessments import studio_views, views

app_name = "assessments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("courses/<slug:slug>/day/<int:day>/quiz/", views.take_quiz, name="take"),
    path("studio/courses/<int:pk>/days/<int:day>/quiz/", studio_views.quiz_edit, name="studio_quiz"),
    path("studio/courses/<int:pk>/days/<int:day>/quiz/delete/", studio_views.quiz_delete, name="studio_quiz_delete"),
    path("studio/courses/<int:pk>/quiz-report/", studio_views.quiz_report, name="studio_quiz_report"),
]

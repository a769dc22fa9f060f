"""Pages of the learning app."""

from django.urls import URLPattern, URLResolver, path

from momentum.learning import studio_views, views

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/analytics/", views.analytics, name="analytics"),
    path("courses/<slug:slug>/enroll/", views.enroll, name="enroll"),
    path("courses/<slug:slug>/leave/", views.unenroll, name="unenroll"),
    path("courses/<slug:slug>/day/<int:day>/", views.lesson, name="lesson"),
    path("courses/<slug:slug>/day/<int:day>/complete/", views.complete_lesson, name="complete_lesson"),
    path("lessons/<int:lesson_id>/video", views.lesson_video, name="lesson_video"),
    path("lessons/<int:lesson_id>/captions/<str:language>.vtt", views.lesson_captions, name="lesson_captions"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("studio/courses/<int:pk>/cohorts/", studio_views.cohort_new, name="studio_cohort_new"),
    path("studio/enrollments/<int:pk>/open-all-days/", studio_views.open_all_days, name="studio_open_all_days"),
]

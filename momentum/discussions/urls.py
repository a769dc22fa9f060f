"""Pages of discussions: the lesson thread's forms, and the studio's moderation queue."""

from django.urls import URLPattern, URLResolver, path

from momentum.discussions import studio_views, views

app_name = "discussions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("courses/<slug:slug>/day/<int:day>/comments/", views.thread, name="thread"),
    path("courses/<slug:slug>/day/<int:day>/comments/new/", views.post_comment, name="post"),
    path("comments/<int:comment_id>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete"),
    path("comments/<int:comment_id>/report/", views.report_comment, name="report"),
    path("studio/moderation/", studio_views.queue, name="studio_queue"),
    path("studio/moderation/comments/<int:comment_id>/<str:action>/", studio_views.moderate, name="studio_moderate"),
]

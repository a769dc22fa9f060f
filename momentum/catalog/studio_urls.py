"""Studio pages for course authoring (under /studio/courses/)."""

from django.urls import URLPattern, URLResolver, path

from momentum.catalog import studio_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/courses/", views.course_list, name="studio_courses"),
    path("studio/courses/new/", views.course_new, name="studio_course_new"),
    path("studio/courses/<int:pk>/", views.course_edit, name="studio_course"),
    path("studio/courses/<int:pk>/publish/", views.course_publish, name="studio_course_publish"),
    path("studio/courses/<int:pk>/archive/", views.course_archive, name="studio_course_archive"),
    path("studio/courses/<int:pk>/delete/", views.course_delete, name="studio_course_delete"),
    path("studio/courses/<int:pk>/thumbnail/", views.course_thumbnail, name="studio_course_thumbnail"),
    path("studio/courses/<int:pk>/review/", views.course_review, name="studio_course_review"),
    path("studio/courses/<int:pk>/days/<int:day>/reviewed/", views.lesson_reviewed, name="studio_lesson_reviewed"),
    path("studio/courses/<int:pk>/days/<int:day>/", views.lesson_edit, name="studio_lesson"),
    path("studio/courses/<int:pk>/days/<int:day>/delete/", views.lesson_delete, name="studio_lesson_delete"),
    path("studio/courses/<int:pk>/instructors/", views.instructor_add, name="studio_instructor_add"),
    path(
        "studio/courses/<int:pk>/instructors/<int:instructor>/remove/",
        views.instructor_remove,
        name="studio_instructor_remove",
    ),
    path("studio/courses/<int:pk>/days/<int:day>/captions/", views.lesson_captions, name="studio_lesson_captions"),
    path(
        "studio/courses/<int:pk>/days/<int:day>/captions/<str:language>/delete/",
        views.lesson_caption_delete,
        name="studio_lesson_caption_delete",
    ),
    path("studio/preview/", views.markdown_preview, name="studio_markdown_preview"),
]

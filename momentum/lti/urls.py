"""Pages of the LTI tool: what platforms call, and the studio's registrations and class lists."""

from django.urls import URLPattern, URLResolver, path

from momentum.lti import studio_views, views

app_name = "lti"
urlpatterns: list[URLPattern | URLResolver] = [
    path("lti/jwks/", views.jwks, name="jwks"),
    path("lti/login/", views.oidc_login, name="login"),
    path("lti/launch/", views.launch, name="launch"),
    path("lti/deep-link/<str:launch_id>/", views.deep_link, name="deep_link"),
    path("studio/lti/", studio_views.platforms, name="studio_platforms"),
    path("studio/lti/new/", studio_views.platform_form, name="studio_platform_new"),
    path("studio/lti/<int:platform>/", studio_views.platform_form, name="studio_platform_edit"),
    path("studio/lti/<int:platform>/delete/", studio_views.platform_delete, name="studio_platform_delete"),
    path("studio/courses/<int:pk>/lti-members/", studio_views.course_members, name="studio_course_members"),
]

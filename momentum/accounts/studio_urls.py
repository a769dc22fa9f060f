"""Studio pages for user administration."""

from django.urls import URLPattern, URLResolver, path

from momentum.accounts import studio_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("studio/users/", views.user_list, name="studio_users"),
    path("studio/users/<int:pk>/", views.user_detail, name="studio_user"),
    path("studio/users/<int:pk>/role/", views.user_role, name="studio_user_role"),
    path("studio/users/<int:pk>/active/", views.user_active, name="studio_user_active"),
]

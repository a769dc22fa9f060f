from django.urls import path

from momentum.catalog import studio_urls, views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/", views.course_list, name="list"),
    path("courses/<slug:slug>/", views.course_detail, name="detail"),
    *studio_urls.urlpatterns,
]

"""Our account pages (namespace ``accounts``); allauth's are in cupure.urls."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("data/", views.data_export, name="data"),
    path("delete/", views.delete, name="delete"),
]

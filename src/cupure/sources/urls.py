"""The WebSub callback: where hubs verify our subscriptions and push new entries."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>", views.websub_callback, name="websub_callback"),
]

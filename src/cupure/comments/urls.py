from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<int:article_pk>/", views.comment_post, name="post"),
    path("<int:pk>/edit/", views.comment_edit_view, name="edit"),
    path("<int:pk>/delete/", views.comment_delete_view, name="delete"),
    path("<int:pk>/report/", views.comment_report_view, name="report"),
]

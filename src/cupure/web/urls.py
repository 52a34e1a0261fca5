from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="article"),
    path("stories/<int:pk>/<str:slug>/", views.story_detail, name="story"),
    path("topics/<str:key>/", views.topic_detail, name="topic"),
    path("publishers/<slug:slug>/", views.publisher_detail, name="publisher"),
    path("about/", views.about, name="about"),
]

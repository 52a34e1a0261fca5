from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "cupure.comments"
    label = "comments"
    verbose_name = "Reader comments"

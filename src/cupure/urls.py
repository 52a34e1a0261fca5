"""URL map of the whole site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("cupure.accounts.urls")),
    path("comments/", include("cupure.comments.urls")),
    path("search/", include("cupure.search.urls")),
    path("", include("cupure.web.urls_feeds")),
    path("", include("cupure.web.urls")),
]

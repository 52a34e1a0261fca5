"""URL map of the whole site."""

from django.contrib import admin
from django.urls import include, path

from cupure.accounts import views as account_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # allauth's login, answering 429 when failed logins hit their limit.
    path("accounts/login/", account_views.login, name="account_login"),
    path("accounts/", include("cupure.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("comments/", include("cupure.comments.urls")),
    path("search/", include("cupure.search.urls")),
    path("media/", include("cupure.images.urls")),
    path("websub/", include("cupure.sources.urls")),
    path("", include("cupure.web.urls_feeds")),
    path("", include("cupure.web.urls")),
]

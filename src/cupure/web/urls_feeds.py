"""URLs of the feeds out, the sitemap and robots.txt (included at the site root).

Feeds: ``/feeds/latest.rss``, ``/feeds/publishers/<slug>.atom``,
``/feeds/stories/<id>.json``, ``/feeds/search.rss?q=…`` — each in ``rss``, ``atom``
and ``json`` (JSON Feed 1.1). Reverse with ``{% url 'feeds:latest' fmt='rss' %}``.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from . import feeds

register_converter(feeds.FeedFormatConverter, "feedformat")

app_name = "feeds"

urlpatterns = [
    path(
        "feeds/latest.<feedformat:fmt>",
        feeds.feed_view(feeds.LatestFeed),
        name="latest",
    ),
    path(
        "feeds/publishers/<slug:slug>.<feedformat:fmt>",
        feeds.feed_view(feeds.PublisherFeed),
        name="publisher",
    ),
    path(
        "feeds/stories/<int:pk>.<feedformat:fmt>",
        feeds.feed_view(feeds.StoryFeed),
        name="story",
    ),
    path(
        "feeds/topics/<str:key>.<feedformat:fmt>",
        feeds.feed_view(feeds.TopicFeed),
        name="topic",
    ),
    path(
        "feeds/search.<feedformat:fmt>",
        feeds.feed_view(feeds.SearchFeed),
        name="search",
    ),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": feeds.SITEMAPS, "sitemap_url_name": "feeds:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": feeds.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", feeds.robots_txt, name="robots"),
]

"""Fixtures for the sources tests: the Test Gazette served on a loopback site."""

from __future__ import annotations

from pathlib import Path

import pytest

from cupure.sources.models import Feed
from cupure.sources.services import feed_create, publisher_get_or_create
from tests.loopback import LoopbackSite, Page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES_FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str, site: LoopbackSite) -> bytes:
    """A fixture file with ``{base}`` replaced by the site's address."""
    path = SOURCES_FIXTURES / name
    if not path.exists():
        path = FIXTURES / name
    return path.read_text().replace("{base}", site.base_url).encode()


def subscribe(site: LoopbackSite, path: str) -> Feed:
    publisher = publisher_get_or_create(
        name="The Test Gazette", homepage_url=site.url("/")
    )
    return feed_create(url=site.url(path), publisher=publisher)


@pytest.fixture
def gazette(loopback_site: LoopbackSite, allow_loopback: None) -> LoopbackSite:
    """The Test Gazette: an RSS and an Atom feed and two article pages."""
    site = loopback_site
    site.pages["/rss.xml"] = Page(
        fixture("feed_rss2.xml", site), "application/rss+xml; charset=utf-8"
    )
    site.pages["/atom.xml"] = Page(
        fixture("feed_atom.xml", site), "application/atom+xml; charset=utf-8"
    )
    site.pages["/news/bridge-reopens"] = Page(fixture("article_bridge.html", site))
    site.pages["/news/library-hours"] = Page(fixture("article_library.html", site))
    return site

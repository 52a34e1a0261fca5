"""An article's date, end to end: a feed polled on loopback, its pages extracted,
the date chosen among the feed's, the page's and the server's (issue #22)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from django.test import Client

from cupure.articles.models import Article
from cupure.sources.services import feed_create, feed_poll, publisher_get_or_create
from tests.loopback import LoopbackSite, Page

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC).replace(microsecond=0)
FEED_DATE = NOW - timedelta(hours=5)
BODY = (
    "<p>The harbour authority opened the new ferry terminal on Monday after two "
    "years of building work, and the first boats left on time.</p>"
    "<p>Passengers said the waiting rooms were warm and the signs easy to read, "
    "though the car park was still closed for resurfacing.</p>"
)


def page(headline: str, head: str = "") -> bytes:
    return (
        f"<html><head><title>{headline} | Harbour Post</title>{head}</head><body>"
        f"<article><h1>{headline}</h1>{BODY}</article></body></html>"
    ).encode()


def jsonld(**fields: str) -> str:
    items = ", ".join(f'"{key}": "{value}"' for key, value in fields.items())
    return (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        f"{items}}}</script>"
    )


def atom(site: LoopbackSite, entries: list[tuple[str, str, str]]) -> bytes:
    """An Atom feed; each entry is (path, published, updated) with "" for none."""
    items = []
    for path, published, updated in entries:
        items.append(
            f"<entry><id>{site.url(path)}</id><title>{path}</title>"
            f'<link href="{site.url(path)}"/>'
            + (f"<published>{published}</published>" if published else "")
            + (f"<updated>{updated}</updated>" if updated else "")
            + "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Post</title>'
        f"<id>{site.url('/')}</id><updated>{NOW.isoformat()}</updated>"
        + "".join(items)
        + "</feed>"
    ).encode()


def poll(site: LoopbackSite) -> None:
    publisher = publisher_get_or_create(name="Harbour Post", homepage_url=site.url("/"))
    result = feed_poll(feed=feed_create(url=site.url("/feed"), publisher=publisher))
    assert result.ok, result.error


def stored(site: LoopbackSite, path: str) -> Article:
    return Article.objects.get(canonical_url=site.url(path))


def test_feed_date_wins_over_placeholder_and_years_off_page_dates(
    loopback_site: LoopbackSite, allow_loopback: None
) -> None:
    """A feed entry dated correctly and a page dated 0001-01-01 (or eight years
    off) is stored with the feed's date; the page's dates are kept as evidence."""
    site = loopback_site
    site.pages["/placeholder"] = Page(
        page(
            "Ferry terminal opens",
            jsonld(datePublished="0001-01-01T00:00:00Z")
            + '<meta property="article:published_time" content="1970-01-01">',
        )
    )
    site.pages["/years-off"] = Page(
        page("Ferry timetable changes", jsonld(datePublished="2018-03-04T10:00:00Z"))
    )
    stamp = FEED_DATE.isoformat()
    site.pages["/feed"] = Page(
        atom(site, [("/placeholder", stamp, stamp), ("/years-off", stamp, stamp)]),
        "application/atom+xml",
    )

    poll(site)

    placeholder = stored(site, "/placeholder")
    assert placeholder.published == FEED_DATE
    assert placeholder.published_source == "feed:published"
    values = [c["value"][:4] for c in placeholder.date_evidence["candidates"]]
    assert "0001" not in values and "1970" not in values
    years_off = stored(site, "/years-off")
    assert years_off.published == FEED_DATE
    assert years_off.published_source == "feed:published"
    sources = {c["source"] for c in years_off.date_evidence["candidates"]}
    assert {"feed:published", "jsonld:datePublished"} <= sources
    assert "disagrees" in years_off.date_evidence["reason"]


def test_agreeing_page_date_and_its_update_are_shown(
    loopback_site: LoopbackSite, allow_loopback: None
) -> None:
    """When page and feed agree the page's time is kept; its declared update is
    stored and shown as "Updated" on the article page."""
    site = loopback_site
    published = FEED_DATE - timedelta(minutes=20)
    updated = FEED_DATE + timedelta(hours=3)
    site.pages["/terminal"] = Page(
        page(
            "Terminal opens",
            jsonld(
                datePublished=published.isoformat(), dateModified=updated.isoformat()
            ),
        )
    )
    site.pages["/feed"] = Page(
        atom(site, [("/terminal", FEED_DATE.isoformat(), "")]),
        "application/atom+xml",
    )

    poll(site)

    article = stored(site, "/terminal")
    assert article.published == published
    assert article.published_source == "jsonld:datePublished"
    assert article.updated == updated
    html = Client().get(article.get_absolute_url()).content.decode()
    assert '<span class="updated">Updated <time' in html


def test_published_beats_updated_and_last_modified(
    loopback_site: LoopbackSite, allow_loopback: None
) -> None:
    """A feed giving only <updated> and a page with no date: the page's HTTP
    Last-Modified, earlier than the feed's update, is the best bound; a page that
    declares its publication wins over the feed's update."""
    site = loopback_site
    last_modified = NOW - timedelta(days=3)
    site.pages["/undated"] = Page(
        page("Ferry fares frozen"),
        headers={"Last-Modified": format_datetime(last_modified, usegmt=True)},
    )
    declared = NOW - timedelta(days=10)
    site.pages["/declared"] = Page(
        page("Ferry fares reviewed", jsonld(datePublished=declared.isoformat()))
    )
    update = FEED_DATE.isoformat()
    site.pages["/feed"] = Page(
        atom(site, [("/undated", "", update), ("/declared", "", update)]),
        "application/atom+xml",
    )

    poll(site)

    undated = stored(site, "/undated")
    assert undated.published == last_modified
    assert undated.published_source == "http:last-modified"
    assert undated.updated == FEED_DATE
    declared_article = stored(site, "/declared")
    assert declared_article.published == declared
    assert declared_article.published_source == "jsonld:datePublished"
    assert declared_article.updated == FEED_DATE


def test_an_unshown_page_save_date_is_no_publication_at_ingest(
    loopback_site: LoopbackSite, allow_loopback: None
) -> None:
    """A page declaring only ``article:modified_time`` and writing no date: the
    save stamp is no publication, so the feed's update bounds it instead. When
    the page writes that day (here in the footer), the stamp is what its reader
    sees, and it stands."""
    site = loopback_site
    saved = (NOW - timedelta(days=20)).replace(hour=12, minute=0, second=0)
    stamp = f'<meta property="article:modified_time" content="{saved.isoformat()}">'
    site.pages["/unshown"] = Page(page("Ferry guide", stamp))
    footer = "<footer>" + "<p>Harbour Post, 1 Quay Street</p>" * 12
    written = f"{footer}<p>{saved:%B} {saved.day}, {saved.year}</p></footer></body>"
    site.pages["/shown"] = Page(
        page("Ferry guide, revised", stamp).replace(b"</body>", written.encode())
    )
    update = FEED_DATE.isoformat()
    site.pages["/feed"] = Page(
        atom(site, [("/unshown", "", update), ("/shown", "", update)]),
        "application/atom+xml",
    )

    poll(site)

    unshown = stored(site, "/unshown")
    assert unshown.published == FEED_DATE
    assert unshown.published_source == "feed:updated"
    shown = stored(site, "/shown")
    assert shown.published == saved
    assert shown.published_source == "meta:article:modified_time"

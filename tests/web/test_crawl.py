"""Every page reachable from the demo's home renders: no server error, no Python
repr, no unrendered template, no link that sends ``next`` back to itself (issue #15).

The demo publishers are ingested through the real pipeline with their "now" set to
the site's clock, so the nav has trends and the breaking strip has stories, as in
``cupure demo``: the pages that print a trend's reason are among those crawled. Then
Django's test client follows every link and feed on this site, breadth first.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from cupure.cli import ingest_demo_feeds
from cupure.cluster.bursts import NAV_TOPICS
from cupure.demo.server import DemoPublishers

pytestmark = pytest.mark.django_db

# Text that only a template or view bug prints: a Python repr or a tag left raw.
BROKEN_MARKERS = ("bound method", "object at 0x", "{{", "}}", "{%", "%}", "<function ")
# What a nav tooltip says: why the topic is there, with its numbers.
SENTENCE = (
    r"(Rising|In the news): \d+ reports? on \d+ stor(y|ies) from \d+ publishers? "
    r"in the last (\d+ hours|day|\d+ days)[,(; ].*"
)
# Paths the crawl does not follow: files, not pages.
NOT_PAGES = ("/static/", "/media/")
# The demo site has some hundreds of pages; far more means a link generates links
# (a query string that grows at each click) and the test says so.
MAX_PAGES = 3000


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.topic_links: list[tuple[str, str]] = []
        self._in_topic_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href")
        if tag in ("a", "link") and href:
            self.links.append(href)
        if tag == "a" and "topic-link" in (values.get("class") or "").split():
            self.topic_links.append((href or "", values.get("title") or ""))


def _local(base: str, href: str) -> str | None:
    """``href`` as a path + query on this site, or None for another site."""
    url = urljoin(base, href.replace("&amp;", "&"))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(NOT_PAGES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _nested_next(href: str, account_paths: set[str]) -> str | None:
    """Why a link's ``next`` nests itself (None when it does not)."""
    for target in parse_qs(urlsplit(href).query).get("next", []):
        if "next=" in target:
            return f"next= holds another next=: {target}"
        if urlsplit(target).path in account_paths:
            return f"next= sends the reader back to an account page: {target}"
    return None


def test_every_page_reachable_from_home_renders(
    client: Client, allow_loopback: None
) -> None:
    from django.utils import timezone

    # The demo's "now" is the site's clock: its newest articles are minutes old,
    # so trends and breaking news render as they do in `cupure demo`.
    now = timezone.now().astimezone(UTC)
    assert isinstance(now, datetime)
    with DemoPublishers(host="127.0.0.1", port=0, now=now) as demo:
        ingest_demo_feeds(demo)

    account_paths = {
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    }
    home = client.get("/")
    assert home.status_code == 200
    home_links = _Links()
    home_links.feed(home.content.decode())
    # The nav is full (the demo has more than ten stories two publishers or more
    # covered), each topic with its reason as a sentence.
    assert len(home_links.topic_links) == NAV_TOPICS, home_links.topic_links
    for href, title in home_links.topic_links:
        assert re.fullmatch(SENTENCE, title), (href, title)
    assert 'class="breaking-list"' in home.content.decode()

    # Search is a form, not a link: seed it with a trending topic's name.
    first_topic = home_links.topic_links[0][0].rstrip("/").rsplit("/", 1)[-1]
    queue = deque(["/", f"/search/?q={first_topic.replace('-', '+')}"])
    seen = set(queue)
    problems: list[str] = []
    kinds: set[str] = set()
    while queue:
        path = queue.popleft()
        response = client.get(path)
        status = response.status_code
        if status >= 500 or status == 404:
            problems.append(f"{path}: {status}")
            continue
        if status in (301, 302):
            target = _local(path, response["Location"])
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        kinds.add(path.strip("/").split("/", 1)[0])
        body = response.content.decode()
        problems += [f"{path}: prints {m!r}" for m in BROKEN_MARKERS if m in body]
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(body)
        for href in parser.links:
            reason = _nested_next(href.replace("&amp;", "&"), account_paths)
            if reason:
                problems.append(f"{path}: link {href}: {reason}")
            target = _local(path, href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
        if len(seen) >= MAX_PAGES:
            problems.append(f"the crawl does not end: {MAX_PAGES} links and growing")
            break

    assert problems == [], problems[:20]
    # Every kind of page was reached from home.
    assert {"", "articles", "stories", "topics", "publishers", "search"} <= kinds
    assert {"feeds", "accounts", "about"} <= kinds

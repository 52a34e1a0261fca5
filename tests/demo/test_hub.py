"""The demo publishers' WebSub hub: every feed names it, it answers subscription
requests, and publishing a breaking article changes the wire's feeds and pages."""

from __future__ import annotations

import httpx

from cupure.demo.server import DemoPublishers
from cupure.feeds import parse_feed


def test_every_feed_names_the_hub_and_itself(publishers: DemoPublishers) -> None:
    hub = f"{publishers.base_url}/hub"
    for publisher in publishers.catalog.publishers:
        for fmt in ("rss", "atom", "json"):
            url = publishers.site.feed_url(publisher, fmt)
            parsed = parse_feed(httpx.get(url).content, url=url)
            assert parsed.hub_urls == (hub,), url
            assert parsed.self_url == url


def test_the_hub_refuses_malformed_requests(http: httpx.Client) -> None:
    assert http.post("/hub", data={"hub.mode": "watch"}).status_code == 400
    missing = http.post("/hub", data={"hub.mode": "subscribe", "hub.topic": "x"})
    assert missing.status_code == 400
    assert "hub.callback" in missing.text
    assert http.post("/elsewhere", data={}).status_code == 404


def test_publishing_adds_a_wire_article_to_feed_and_page() -> None:
    with DemoPublishers(port=0) as running:
        wire = next(p for p in running.catalog.publishers if p.slug == "meridian-wire")
        feed_url = running.site.feed_url(wire, "json")
        before = parse_feed(httpx.get(feed_url).content, url=feed_url)

        said = httpx.post(f"{running.base_url}/_demo/publish").text

        assert said.startswith("Published 'Sund estuary ferry halted")
        assert said.endswith("pushed to 0 of 0 subscriber(s)")
        after = parse_feed(httpx.get(feed_url).content, url=feed_url)
        assert len(after.entries) == len(before.entries) + 1
        newest = after.entries[0]
        assert newest.title.startswith("Sund estuary ferry halted")
        page = httpx.get(newest.link)
        assert page.status_code == 200
        assert "112 passengers" in page.text
        # A second publication is another article.
        httpx.post(f"{running.base_url}/_demo/publish")
        again = parse_feed(httpx.get(feed_url).content, url=feed_url)
        assert again.entries[0].title.startswith("Power cut leaves Kessel")

"""cupure.feeds.websub: hub discovery, signatures, leases (no network)."""

from __future__ import annotations

import pytest

from cupure.feeds import parse_feed
from cupure.feeds.websub import (
    LEASE_ASSUMED_SECONDS,
    hub_links,
    lease_seconds_granted,
    new_secret,
    parse_link_header,
    renew_margin,
    sign,
    signature_valid,
    subscription_form,
)

FEED = "https://news.example/feed.xml"
ATOM_WITH_HUB = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<link rel="hub" href="https://hub.example/"/>
<link rel="self" href="/atom.xml"/>
<entry><id>1</id><title>x</title><link href="https://news.example/1"/></entry>
</feed>"""


def test_link_header_values_and_several_headers_joined() -> None:
    links = parse_link_header(
        '<https://hub.example/>; rel="hub", </feed.xml>; rel=self, '
        '<https://b.example/>; rel="hub alternate", <mailto:x@y>; rel=hub',
        base=FEED,
    )
    assert links == [
        ("https://hub.example/", {"hub"}),
        ("https://news.example/feed.xml", {"self"}),
        ("https://b.example/", {"hub", "alternate"}),
    ]
    assert parse_link_header("garbage; rel=hub", base=FEED) == []


def test_the_link_header_wins_over_the_document() -> None:
    parsed = parse_feed(ATOM_WITH_HUB, url=FEED)
    assert parsed.hub_urls == ("https://hub.example/",)
    assert parsed.self_url == "https://news.example/atom.xml"

    from_document = hub_links({}, parsed, url=FEED)
    assert from_document is not None
    assert from_document.hubs == ("https://hub.example/",)
    assert from_document.topic == "https://news.example/atom.xml"

    header = {"link": '<https://push.example/hub>; rel="hub"'}
    from_header = hub_links(header, parsed, url=FEED)
    assert from_header is not None
    # The header names no self: the topic is the URL fetched.
    assert (from_header.hubs, from_header.topic) == (
        ("https://push.example/hub",),
        FEED,
    )
    assert hub_links({}, None, url=FEED) is None


def test_json_feed_hubs() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "t",'
        b' "feed_url": "https://news.example/feed.json",'
        b' "hubs": [{"type": "rssCloud", "url": "https://cloud.example/"},'
        b' {"type": "WebSub", "url": "https://hub.example/"}, "junk"],'
        b' "items": []}'
    )
    parsed = parse_feed(body, url=FEED)
    assert parsed.hub_urls == ("https://hub.example/",)
    assert parsed.self_url == "https://news.example/feed.json"


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_signatures_of_every_allowed_method_are_checked(method: str) -> None:
    secret, body = new_secret(), b"<feed/>"
    assert signature_valid(secret, body, sign(secret, body, method))
    assert not signature_valid(secret, body + b"x", sign(secret, body, method))
    assert not signature_valid("other", body, sign(secret, body, method))


def test_missing_or_unknown_signatures_are_invalid() -> None:
    secret, body = new_secret(), b"<feed/>"
    digest = sign(secret, body).split("=", 1)[1]
    for header in (None, "", digest, f"md5={digest}", "sha256=", "sha256"):
        assert not signature_valid(secret, body, header)
    assert not signature_valid("", body, sign("", body))


def test_secrets_are_random_and_short_enough_for_hubs() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert 40 <= len(first.encode()) < 200


def test_subscription_form() -> None:
    form = subscription_form(
        mode="subscribe", topic=FEED, callback="https://us/websub/t", secret="s"
    )
    assert form["hub.mode"] == "subscribe" and form["hub.secret"] == "s"
    assert int(form["hub.lease_seconds"]) > 0
    leave = subscription_form(
        mode="unsubscribe", topic=FEED, callback="https://us/websub/t", secret="s"
    )
    assert "hub.secret" not in leave and "hub.lease_seconds" not in leave


def test_leases() -> None:
    assert lease_seconds_granted("86400") == 86400
    for garbage in (None, "", "-5", "soon", "0", str(10**12)):
        assert lease_seconds_granted(garbage) == LEASE_ASSUMED_SECONDS
    assert renew_margin(86400) == pytest.approx(86400 * 0.2)
    # A short lease is renewed half-way, never before it starts.
    assert renew_margin(60) == 30

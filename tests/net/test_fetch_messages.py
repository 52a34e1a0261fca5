"""cupure.net.fetch's edges found by mutation testing (issue #23): each refusal's
message, the limits at their boundaries, the headers sent, the statuses' hints.

Every fetch here goes to a server the test starts on 127.0.0.1."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import pytest

from cupure.net.errors import (
    BlockedAddress,
    ContentDecodingError,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    ResponseTooLarge,
    TooManyRedirects,
)
from cupure.net.fetch import (
    MAX_URL_LENGTH,
    FetchPolicy,
    FetchResponse,
    check_url,
    fetch,
    validate_url,
)
from tests.net.servers import (
    FEED,
    RouteServer,
    local_policy,
    redirect,
    respond,
    serve,
)
from tests.timezones import local_time_zone


def refused(url: str) -> InvalidURL:
    with pytest.raises(InvalidURL) as caught:
        validate_url(url)
    return caught.value


# ----------------------------------------------------------------- URL refusals


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Empty URL; give an absolute http(s) URL"),
        ("   ", "Empty URL; give an absolute http(s) URL"),
        (
            "ftp://example.com/feed",
            "Only http and https URLs can be fetched, not 'ftp:': "
            "ftp://example.com/feed",
        ),
        (
            "example.com/feed",
            "Only http and https URLs can be fetched, not no scheme: example.com/feed",
        ),
        (
            "http://user@example.com/",
            "URL carries a user name or password, which we never send: "
            "http://user@example.com/",
        ),
        (
            "http://:secret@example.com/",
            "URL carries a user name or password, which we never send: "
            "http://:secret@example.com/",
        ),
        ("http:///feed", "URL has no host name: http:///feed"),
        (
            "http://example.com:99999/",
            "URL has an invalid port: http://example.com:99999/",
        ),
        (
            "http://[fe80::1%25eth0]/",
            "URL host 'fe80::1%25eth0' has a zone or percent sign; use a plain name",
        ),
        (
            "http://a\tb.example/",
            "URL contains spaces or control characters: 'http://a\\tb.example/'; "
            "percent-encode",
        ),
        (
            "http://a.example/\x7f",
            "URL contains spaces or control characters: 'http://a.example/\\x7f'; "
            "percent-encode",
        ),
    ],
)
def test_a_refused_url_says_why(url: str, message: str) -> None:
    """Each refusal names what is wrong and the URL (as given)."""
    error = refused(url)
    assert str(error) == message
    assert error.code == "invalid_url"


def test_an_address_that_is_no_address_is_named() -> None:
    """A dotted host that is no IPv4 address is refused with the parser's reason."""
    error = refused("http://256.1.1.1/")
    assert str(error).startswith("URL host is not a valid address: ")
    assert str(error).endswith(": http://256.1.1.1/")


def test_a_host_idna_cannot_encode_is_refused_with_the_reason() -> None:
    """A soft hyphen is no character of a host name."""
    error = refused("http://ab\u00ad.example/")
    message = str(error)
    assert message.startswith("URL is not valid (Invalid IDNA hostname: ")
    assert message.endswith("): http://ab\u00ad.example/")


def test_the_longest_url_is_accepted_and_one_longer_refused() -> None:
    """MAX_URL_LENGTH characters are fetched (the URL columns hold them); one more
    is refused, and the message quotes only the first 200 characters."""
    base = "http://example.com/"
    longest = base + "a" * (MAX_URL_LENGTH - len(base))
    assert validate_url(longest) == longest
    error = refused(longest + "a")
    assert str(error) == (
        f"URL is {MAX_URL_LENGTH + 1} characters long, more than {MAX_URL_LENGTH}: "
        f"{longest[:200]}…"
    )
    assert error.url == longest + "a"


def test_surrounding_whitespace_is_dropped_and_the_path_defaults_to_slash() -> None:
    """A pasted URL keeps working; "!" is the first character kept as is."""
    assert validate_url("  http://example.com  \n") == "http://example.com/"
    assert validate_url("http://example.com/!x") == "http://example.com/!x"


def test_ipv6_hosts_are_written_canonically() -> None:
    """An IPv6 host is stored in its short form, port and path kept."""
    assert validate_url("http://[2606:4700:0:0:0:0:0:1]:8080/f") == (
        "http://[2606:4700::1]:8080/f"
    )


def test_validate_url_refuses_an_internal_literal_by_default() -> None:
    """Without a policy the default one holds: no internal address."""
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.1 \(loopback\)"):
        validate_url("http://127.0.0.1/")
    allowed = FetchPolicy(allow_private=local_policy().allow_private)
    assert validate_url("http://127.0.0.1/", policy=allowed) == "http://127.0.0.1/"


@pytest.mark.parametrize(
    ("url", "port"),
    [
        ("http://news.example/feed", 80),
        ("https://news.example/feed", 443),
        ("https://news.example:8443/feed", 8443),
    ],
)
def test_check_url_resolves_the_port_the_fetch_will_use(url: str, port: int) -> None:
    """The resolver is asked for the port the connection will use: 80, 443 or the
    URL's."""
    asked: list[tuple[str, int]] = []

    def resolver(host: str, asked_port: int) -> list[str]:
        asked.append((host, asked_port))
        return ["93.184.216.34"]

    assert check_url(url, policy=FetchPolicy(resolver=resolver)) == url
    assert asked == [("news.example", port)]


def test_check_url_refuses_if_any_answer_is_internal() -> None:
    """One internal answer among public ones is enough to refuse, and is named."""
    policy = FetchPolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.1"])
    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.1 \(private\)"):
        check_url("http://news.example/feed", policy=policy)


# ---------------------------------------------------------------- the response


@pytest.mark.parametrize(
    ("content_type", "media", "charset"),
    [
        (
            'Application/RSS+XML ; Charset="ISO-8859-1"',
            "application/rss+xml",
            "iso-8859-1",
        ),
        ("text/xml; format=flowed; charset='utf-8'", "text/xml", "utf-8"),
        ("text/xml;charset=UTF-8", "text/xml", "utf-8"),
        ("text/plain; charset=X-SJIS", "text/plain", "x-sjis"),
        ("text/xml; charset=", "text/xml", None),
        ("text/xml", "text/xml", None),
        (None, "", None),
    ],
)
def test_content_type_and_charset(
    content_type: str | None, media: str, charset: str | None
) -> None:
    """The media type and charset, lower-case, quotes and spaces dropped; none when
    absent or empty."""
    headers = {} if content_type is None else {"content-type": content_type}
    response = FetchResponse(
        url="http://x.example/", status=200, headers=headers, content=b""
    )
    assert (response.content_type(), response.charset()) == (media, charset)


def test_headers_come_back_lower_case_and_repeated_ones_joined(
    server: RouteServer,
) -> None:
    """Header names are lower-case; a repeated header's values are joined with ", "."""

    def twice(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("X-Tag", "a")
        handler.send_header("x-tag", "b")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server.routes["/feed"] = twice
    response = fetch(server.url("/feed"), policy=local_policy())
    assert response.headers["x-tag"] == "a, b"
    assert response.headers["content-length"] == "0"


# --------------------------------------------------------------------- requests


def test_default_request_headers(server: RouteServer) -> None:
    """Without ``accept`` anything is accepted; gzip, deflate and brotli are
    offered; no conditional header is sent for an empty validator."""
    serve(server, "/feed")
    fetch(server.url("/feed"), policy=local_policy(), etag="", last_modified="")
    (seen,) = server.seen
    assert seen.method == "GET"
    assert seen.headers["accept"] == "*/*"
    assert seen.headers["accept-encoding"] == "gzip, deflate, br"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"
    assert "if-none-match" not in seen.headers
    assert "if-modified-since" not in seen.headers
    assert "content-type" not in seen.headers


def test_a_user_agent_outside_latin_1_is_sent_replaced(server: RouteServer) -> None:
    """A configured User-Agent HTTP cannot carry is sent with '?' in place, not
    refused."""
    serve(server, "/feed")
    fetch(server.url("/feed"), policy=local_policy(user_agent="cupure ☃"))
    assert server.seen[0].headers["user-agent"] == "cupure ?"


def test_a_validator_outside_latin_1_is_sent_replaced(server: RouteServer) -> None:
    """Validators echoed from a server: non-Latin-1 characters become '?', DEL is
    dropped."""
    serve(server, "/feed")
    fetch(server.url("/feed"), policy=local_policy(), etag='"☃"', last_modified="\x7fx")
    assert server.seen[0].headers["if-none-match"] == '"?"'
    assert server.seen[0].headers["if-modified-since"] == "x"


def test_a_posted_form_declares_its_length(server: RouteServer) -> None:
    """A form POST sends the encoded body with its Content-Length."""
    server.routes["/hub"] = lambda h: respond(h, 204)
    response = fetch(server.url("/hub"), policy=local_policy(), form={"a": "é"})
    assert response.status == 204
    (seen,) = server.seen
    assert (seen.body, seen.headers["content-length"]) == (b"a=%C3%A9", "8")


def test_a_success_is_logged_with_its_numbers(
    server: RouteServer, caplog: pytest.LogCaptureFixture
) -> None:
    """One line per fetch: the final URL, status, bytes and hops."""
    serve(server, "/final")
    redirect(server, "/a", "/final")
    with caplog.at_level(logging.DEBUG, logger="cupure.net.fetch"):
        fetch(server.url("/a"), policy=local_policy())
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == (f"redirect {server.url('/a')} -> {server.url('/final')} (302)")
    assert re.fullmatch(
        rf"fetched {re.escape(server.url('/final'))} status=200 bytes={len(FEED)} "
        r"hops=1 seconds=\d+\.\d\d",
        lines[1],
    )


# ------------------------------------------------------------------ body limits


def test_a_body_of_exactly_max_bytes_is_read(server: RouteServer) -> None:
    """The limit is inclusive: a body of exactly ``max_bytes`` is read whole."""
    serve(server, "/feed", b"x" * 1000)
    assert fetch(server.url("/feed"), policy=local_policy(max_bytes=1000)).content == (
        b"x" * 1000
    )


def test_a_declared_length_over_the_limit_is_refused_with_the_limit(
    server: RouteServer,
) -> None:
    """The message names the URL and the limit, and what a person can do."""
    serve(server, "/big", b"x" * 1001)
    with pytest.raises(ResponseTooLarge) as caught:
        fetch(server.url("/big"), policy=local_policy(max_bytes=1000))
    assert str(caught.value) == (
        f"{server.url('/big')} is larger than 1,000 bytes (after decompression); "
        "if this is a real feed, ask the publisher for a smaller one"
    )
    assert caught.value.url == server.url("/big")


@pytest.mark.parametrize("size", [1000, 1001, 5000])
def test_truncate_keeps_the_first_max_bytes(server: RouteServer, size: int) -> None:
    """With ``truncate`` (robots.txt) a larger body, declared or not, is cut to
    ``max_bytes`` instead of refused."""
    body = bytes(range(256)) * 20
    serve(server, "/robots.txt", body[:size])
    response = fetch(
        server.url("/robots.txt"), policy=local_policy(max_bytes=1000, truncate=True)
    )
    assert response.content == body[:1000]


def test_a_corrupt_compressed_body_says_so(server: RouteServer) -> None:
    """A body that does not decode as its Content-Encoding says is a
    ContentDecodingError naming the URL."""
    serve(server, "/feed", b"\x1f\x8bnot gzip at all", **{"Content-Encoding": "gzip"})
    with pytest.raises(ContentDecodingError) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    message = str(caught.value)
    assert message.startswith(f"{server.url('/feed')} sent a corrupt compressed body (")
    assert message.endswith("); try again later")
    assert caught.value.url == server.url("/feed")


# --------------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (401, "it needs a login, which we do not support"),
        (403, "the server refuses us; it may block aggregators"),
        (404, "check the address on the publisher's site"),
        (418, "check the address on the publisher's site"),
        (500, "the publisher's server is failing; we will retry later"),
        (503, "the publisher's server is failing; we will retry later"),
        (300, "a redirect without a usable Location header"),
        (399, "a redirect without a usable Location header"),
        (400, "check the address on the publisher's site"),
    ],
)
def test_a_status_error_gives_a_hint(
    server: RouteServer, status: int, hint: str
) -> None:
    """Every other status is an HTTPStatusError whose message says what to do."""
    server.routes["/feed"] = lambda h: respond(h, status, b"")
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert type(caught.value) is HTTPStatusError
    assert str(caught.value) == f"{server.url('/feed')} answered {status}: {hint}"
    assert (caught.value.status, caught.value.url) == (status, server.url("/feed"))


def test_gone_says_what_to_do(server: RouteServer) -> None:
    """410 deactivates the feed and the message says where to look instead."""
    server.routes["/feed"] = lambda h: respond(h, 410)
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert str(caught.value) == (
        f"{server.url('/feed')} answered 410 Gone: the publisher removed it; the "
        "feed is deactivated, find its new address on the publisher's site"
    )
    assert caught.value.url == server.url("/feed")


@pytest.mark.parametrize(
    ("status", "headers", "when", "retry_after"),
    [
        (429, {"Retry-After": "120"}, "asks us to wait 120 s", 120.0),
        (429, {}, "asks us to slow down", None),
        (503, {"Retry-After": "1.5"}, "asks us to slow down", None),
        (503, {"Retry-After": "30"}, "asks us to wait 30 s", 30.0),
    ],
)
def test_rate_limits_say_how_long(
    server: RouteServer,
    status: int,
    headers: dict[str, str],
    when: str,
    retry_after: float | None,
) -> None:
    """429, and 503 with Retry-After, are RateLimited with the wait the server asked
    for (fractions are not delay-seconds)."""
    server.routes["/feed"] = lambda h: respond(h, status, b"", headers)
    with pytest.raises(RateLimited) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert str(caught.value) == (
        f"{server.url('/feed')} answered {status}: the server {when}; polling backs off"
    )
    assert (caught.value.status, caught.value.retry_after) == (status, retry_after)
    assert caught.value.url == server.url("/feed")


# -------------------------------------------------------------------- redirects


@pytest.mark.parametrize("status", [303, 307])
def test_other_redirects_are_followed_and_not_permanent(
    server: RouteServer, status: int
) -> None:
    """303 and 307 are followed and never reported as a permanent move."""
    serve(server, "/final")
    redirect(server, "/a", "/final", status)
    response = fetch(server.url("/a"), policy=local_policy())
    assert (response.url, response.permanent_redirect) == (server.url("/final"), None)


def test_a_permanent_run_ends_at_the_first_temporary_hop(server: RouteServer) -> None:
    """301, 302, 301: only the first hop is in the permanent run."""
    serve(server, "/final")
    redirect(server, "/a", "/b", 301)
    redirect(server, "/b", "/c", 302)
    redirect(server, "/c", "/final", 301)
    response = fetch(server.url("/a"), policy=local_policy())
    assert response.permanent_redirect == server.url("/b")


def test_a_location_with_surrounding_space_is_followed(server: RouteServer) -> None:
    """Spaces around a Location value are not part of the address."""
    serve(server, "/final")
    server.routes["/a"] = lambda h: respond(h, 301, b"", {"Location": "  /final  "})
    response = fetch(server.url("/a"), policy=local_policy())
    assert response.url == server.url("/final")


def test_a_redirect_to_an_unfetchable_address_names_both(server: RouteServer) -> None:
    """A redirect to an address we cannot fetch names the redirecting URL and the
    reason."""
    redirect(server, "/feed", "gopher://example.com/x")
    with pytest.raises(InvalidURL) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert str(caught.value) == (
        f"{server.url('/feed')} redirected to an address we cannot fetch: Only "
        "http and https URLs can be fetched, not 'gopher:': gopher://example.com/x"
    )
    assert caught.value.url == server.url("/feed")


def test_a_blocked_first_address_names_no_redirect(server: RouteServer) -> None:
    """Refused at the first hop: the message says nothing of a redirect, and names the
    address."""
    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://127.0.0.2:{server.port}/feed", policy=local_policy())
    assert "redirect" not in str(caught.value)
    assert caught.value.address == "127.0.0.2"


def test_a_redirect_to_a_blocked_name_keeps_the_address_and_url(
    server: RouteServer,
) -> None:
    """Refused after a redirect: the error keeps the refused URL and address, and names
    the redirecting URL."""
    redirect(server, "/feed", f"http://inside.example:{server.port}/x")
    policy = local_policy(
        resolver=lambda host, port: ["10.0.0.7"] if host == "inside.example" else []
    )
    with pytest.raises(BlockedAddress) as caught:
        fetch(server.url("/feed"), policy=policy)
    assert caught.value.address == "10.0.0.7"
    assert caught.value.url == f"http://inside.example:{server.port}/x"
    assert str(caught.value).endswith(
        f" (reached by a redirect from {server.url('/feed')})"
    )


def test_too_many_redirects_names_the_last_target(server: RouteServer) -> None:
    """The message names the limit and the last target; the hop past the limit is not
    requested."""
    redirect(server, "/a", "/b")
    redirect(server, "/b", "/a")
    with pytest.raises(TooManyRedirects) as caught:
        fetch(server.url("/a"), policy=local_policy(max_redirects=1))
    assert str(caught.value) == (
        f"{server.url('/a')} redirected more than 1 times (last to "
        f"{server.url('/a')}); a redirect loop or a misconfigured site, use the "
        "final address"
    )
    assert caught.value.url == server.url("/a")
    assert server.paths() == ["/a", "/b"]


def test_no_redirects_allowed_means_none_followed(server: RouteServer) -> None:
    """``max_redirects=0`` fetches a direct answer and refuses any redirect."""
    serve(server, "/final")
    redirect(server, "/a", "/final")
    assert (
        fetch(server.url("/final"), policy=local_policy(max_redirects=0)).status == 200
    )
    with pytest.raises(TooManyRedirects):
        fetch(server.url("/a"), policy=local_policy(max_redirects=0))


def test_a_retry_after_date_is_measured_in_utc_whatever_the_local_zone(
    server: RouteServer,
) -> None:
    """A server asking for ten minutes by date gets ten minutes, not ten minutes
    plus the machine's offset from UTC."""
    later = datetime.now(UTC) + timedelta(minutes=10)
    server.routes["/feed"] = lambda h: respond(
        h, 503, b"", {"Retry-After": format_datetime(later, usegmt=True)}
    )
    with local_time_zone("Asia/Kolkata"), pytest.raises(RateLimited) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert caught.value.retry_after is not None
    assert 500 < caught.value.retry_after <= 600


def test_an_unclosed_ipv6_bracket_is_an_invalid_url() -> None:
    """urlsplit's ValueError becomes the refusal every caller handles."""
    error = refused("http://[::1/feed")
    assert str(error).startswith("URL cannot be read (")
    assert str(error).endswith("): http://[::1/feed")


def test_a_redirect_to_an_unreadable_location_fails_as_a_fetch_error(
    server: RouteServer,
) -> None:
    """A Location with an unclosed bracket fails the fetch with the reason, no crash."""
    redirect(server, "/a", "http://[::1")
    with pytest.raises(InvalidURL) as caught:
        fetch(server.url("/a"), policy=local_policy())
    reason = "redirected to an address we cannot fetch: URL cannot be read"
    assert str(caught.value).startswith(f"{server.url('/a')} {reason}")

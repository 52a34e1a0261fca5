"""cupure.net.fetch against real loopback servers: SSRF guard, limits, statuses."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import brotli
import pytest

from cupure.net.errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchTimeout,
    Gone,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    ResponseTooLarge,
    TLSFailure,
    TooManyRedirects,
)
from cupure.net.fetch import FetchPolicy, check_url, fetch, validate_url
from tests.net.servers import (
    FEED,
    Certificate,
    RouteServer,
    local_policy,
    redirect,
    respond,
    serve,
)

# ------------------------------------------------------------------- success path


def test_fetch_returns_body_headers_and_final_url(server: RouteServer) -> None:
    """A 200 comes back with its body, lower-case headers and the URL fetched."""
    serve(server, "/feed", **{"Content-Type": "application/rss+xml; charset=UTF-8"})
    response = fetch(server.url("/feed"), policy=local_policy())
    assert response.status == 200
    assert response.content == FEED
    assert response.url == server.url("/feed")
    assert response.content_type() == "application/rss+xml"
    assert response.charset() == "utf-8"
    assert not response.not_modified
    assert response.permanent_redirect is None


def test_request_carries_user_agent_accept_and_conditional_headers(
    server: RouteServer,
) -> None:
    """User-Agent, Accept and If-None-Match / If-Modified-Since are sent."""
    serve(server, "/feed")
    policy = local_policy()
    fetch(
        server.url("/feed"),
        policy=policy,
        etag='"abc"',
        last_modified="Wed, 21 Oct 2015 07:28:00 GMT",
        accept="application/rss+xml",
    )
    headers = server.seen[0].headers
    assert headers["user-agent"] == policy.user_agent
    assert "cupure" in headers["user-agent"]
    assert headers["accept"] == "application/rss+xml"
    assert headers["if-none-match"] == '"abc"'
    assert headers["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert "gzip" in headers["accept-encoding"]


def test_not_modified_is_returned_without_body(server: RouteServer) -> None:
    """A 304 answer to a conditional GET is a response with not_modified and no body."""

    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("ETag", '"v1"')
            handler.end_headers()
        else:
            respond(handler, 200, FEED, {"ETag": '"v1"'})

    server.routes["/feed"] = conditional
    first = fetch(server.url("/feed"), policy=local_policy())
    assert first.headers["etag"] == '"v1"'
    second = fetch(server.url("/feed"), policy=local_policy(), etag='"v1"')
    assert second.status == 304
    assert second.not_modified
    assert second.content == b""


def test_header_values_from_servers_cannot_inject_lines(server: RouteServer) -> None:
    """An ETag with CR/LF (from a hostile server) is sent back without them."""
    serve(server, "/feed")
    fetch(server.url("/feed"), policy=local_policy(), etag='"a"\r\nX-Evil: 1')
    assert "x-evil" not in server.seen[0].headers
    assert server.seen[0].headers["if-none-match"] == '"a"X-Evil: 1'


# ------------------------------------------------------------- address spellings


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "127.1",
        "0x7f.1",
        "127.0.0.1.",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "[0:0:0:0:0:ffff:7f00:1]",
        "127\u30020\u30020\u30021",  # ideographic full stops, mapped by IDNA
        "[::1]",
        "localhost",
    ],
)
def test_every_spelling_of_loopback_is_refused(server: RouteServer, host: str) -> None:
    """Loopback in any spelling is refused under the default policy, nothing is sent,
    and the message names the address and the setting that would allow it."""
    serve(server, "/feed")
    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://{host}:{server.port}/feed", policy=FetchPolicy())
    assert caught.value.code == "blocked_address"
    assert "loopback" in str(caught.value)
    assert "CUPURE_FETCH_ALLOW_PRIVATE" in str(caught.value)
    assert server.seen == []


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("10.0.0.5", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("100.64.0.1", "CGNAT"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("[fe80::1]", "link-local"),
        ("[fc00::1]", "unique local"),
        ("[::ffff:10.0.0.1]", "private"),
        ("[64:ff9b::a9fe:a9fe]", "link-local"),
        ("[2002:a00:1::]", "private"),
        ("[::10.0.0.1]", "private"),
    ],
)
def test_internal_literals_are_refused_before_connect(host: str, reason: str) -> None:
    """Internal IP literals (also embedded in IPv6) are refused without a connection."""
    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://{host}/feed", policy=FetchPolicy(timeout=1))
    assert reason in str(caught.value)


def test_name_resolving_inside_is_refused(server: RouteServer) -> None:
    """A public-looking name whose DNS answer is internal is refused at connect time."""
    serve(server, "/feed")
    policy = FetchPolicy(resolver=lambda host, port: ["127.0.0.1"])
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.1 \(loopback\)"):
        fetch(f"http://news.example:{server.port}/feed", policy=policy)
    assert server.seen == []


def test_name_with_one_internal_answer_among_public_ones_is_refused() -> None:
    """Mixed public/internal answers are a rebinding set-up: refused, none tried."""
    policy = FetchPolicy(resolver=lambda host, port: ["93.184.216.34", "10.1.2.3"])
    with pytest.raises(BlockedAddress, match=r"10\.1\.2\.3"):
        fetch("http://news.example/feed", policy=policy)


def test_connection_goes_to_the_address_checked_and_keeps_the_name(
    server: RouteServer,
) -> None:
    """DNS rebinding: the name is resolved once per connection, the socket goes to the
    address that was checked, and Host still carries the name. A later answer that
    turns internal (127.0.0.2, outside the allow list) is refused."""
    serve(server, "/feed")
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    policy = local_policy(resolver=rebinding)
    response = fetch(f"http://news.example:{server.port}/feed", policy=policy)
    assert response.content == FEED
    assert calls == ["news.example"]
    assert server.seen[0].headers["host"] == f"news.example:{server.port}"
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.2 \(loopback\)"):
        fetch(f"http://news.example:{server.port}/feed", policy=policy)
    assert len(server.seen) == 1


def test_allow_list_opens_only_its_network(server: RouteServer) -> None:
    """127.0.0.1/32 allowed does not allow 127.0.0.2."""
    serve(server, "/feed")
    assert fetch(server.url("/feed"), policy=local_policy()).status == 200
    with pytest.raises(BlockedAddress):
        fetch(f"http://127.0.0.2:{server.port}/feed", policy=local_policy())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed",
        "gopher://example.com/",
        "javascript:alert(1)",
        "//example.com/feed",
        "http://",
        "http://exa mple.com/",
        "http://example.com/\r\nX: y",
        "http://user:pass@example.com/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://[fe80::1%25eth0]/",
        "http://example.com:99999/",
        "",
    ],
)
def test_invalid_urls_are_refused(url: str) -> None:
    """Only absolute http(s) URLs with a sane host are fetched."""
    with pytest.raises(InvalidURL):
        fetch(url, policy=FetchPolicy(timeout=1))


def test_validate_and_check_url_normalise_and_refuse() -> None:
    """validate_url canonicalises numeric hosts; check_url also resolves the name."""
    assert validate_url("HTTP://Example.COM/café") == "http://example.com/caf%C3%A9"
    assert validate_url("http://bücher.example/") == "http://xn--bcher-kva.example/"
    assert validate_url("http://0x5db8d822/") == "http://93.184.216.34/"
    with pytest.raises(BlockedAddress):
        validate_url("http://2130706433/")
    policy = FetchPolicy(resolver=lambda host, port: ["192.168.0.10"])
    with pytest.raises(BlockedAddress, match=r"192\.168\.0\.10"):
        check_url("http://router.example/", policy=policy)
    public = FetchPolicy(resolver=lambda host, port: ["93.184.216.34"])
    assert check_url("http://news.example/feed", policy=public) == (
        "http://news.example/feed"
    )


# ----------------------------------------------------------------------- redirects


def test_redirects_are_followed_and_permanent_ones_reported(
    server: RouteServer,
) -> None:
    """301 then 308 then 302: the final body, and the end of the permanent run."""
    serve(server, "/final")
    redirect(server, "/a", "/b", 301)
    redirect(server, "/b", server.url("/c"), 308)
    redirect(server, "/c", "/final", 302)
    response = fetch(server.url("/a"), policy=local_policy())
    assert response.content == FEED
    assert response.url == server.url("/final")
    assert response.permanent_redirect == server.url("/c")


def test_temporary_first_hop_reports_no_permanent_redirect(
    server: RouteServer,
) -> None:
    serve(server, "/final")
    redirect(server, "/a", "/b", 302)
    redirect(server, "/b", "/final", 301)
    assert fetch(server.url("/a"), policy=local_policy()).permanent_redirect is None


def test_redirect_to_private_address_is_refused_and_named(server: RouteServer) -> None:
    """A redirect to an internal address is refused; the message names the address
    and the URL that redirected."""
    redirect(server, "/feed", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedAddress) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    message = str(caught.value)
    assert "169.254.169.254 (link-local)" in message
    assert f"redirect from {server.url('/feed')}" in message


def test_redirect_to_name_resolving_inside_is_refused(server: RouteServer) -> None:
    """Each hop is resolved and checked again: a redirect to a name that resolves to
    a non-allowed address is refused."""
    redirect(server, "/feed", f"http://internal.example:{server.port}/secret")
    serve(server, "/secret", b"secret")
    policy = local_policy(
        resolver=lambda host, port: ["10.0.0.7"] if host == "internal.example" else []
    )
    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.7 \(private\)"):
        fetch(server.url("/feed"), policy=policy)
    assert "/secret" not in server.paths()


def test_redirect_to_other_scheme_is_refused(server: RouteServer) -> None:
    redirect(server, "/feed", "file:///etc/passwd")
    with pytest.raises(InvalidURL, match="file"):
        fetch(server.url("/feed"), policy=local_policy())


def test_redirect_loop_raises_too_many_redirects(server: RouteServer) -> None:
    """A loop stops after max_redirects hops with TooManyRedirects."""
    redirect(server, "/a", "/b")
    redirect(server, "/b", "/a")
    with pytest.raises(TooManyRedirects, match="more than 5 times"):
        fetch(server.url("/a"), policy=local_policy())
    assert len(server.seen) == 6


def test_exactly_max_redirects_is_allowed(server: RouteServer) -> None:
    for index in range(5):
        redirect(server, f"/r{index}", f"/r{index + 1}")
    serve(server, "/r5")
    assert fetch(server.url("/r0"), policy=local_policy()).content == FEED
    with pytest.raises(TooManyRedirects):
        fetch(server.url("/r0"), policy=local_policy(max_redirects=4))


# ---------------------------------------------------------------------- size limits

BOMB_LIMIT = 1_000_000
BOMB_SIZE = 50_000_000


@pytest.fixture(scope="module")
def zeros_gzip() -> bytes:
    """50 MB of zeros, gzipped to about 50 KB."""
    return gzip.compress(b"\0" * BOMB_SIZE, compresslevel=6)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "gzip, gzip"])
def test_decompression_bombs_are_refused(
    server: RouteServer, zeros_gzip: bytes, encoding: str
) -> None:
    """A small compressed body that inflates past max_bytes is refused, quickly."""
    if encoding == "gzip":
        body = zeros_gzip
    elif encoding == "deflate":
        body = zlib.compress(b"\0" * BOMB_SIZE)
    elif encoding == "br":
        body = brotli.compress(b"\0" * BOMB_SIZE, quality=5)
    else:
        body = gzip.compress(zeros_gzip)
    assert len(body) < BOMB_LIMIT
    serve(server, "/bomb", body, **{"Content-Encoding": encoding})
    started = time.monotonic()
    with pytest.raises(ResponseTooLarge, match="after decompression"):
        fetch(server.url("/bomb"), policy=local_policy(max_bytes=BOMB_LIMIT))
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "br"])
def test_compressed_bodies_are_decoded(server: RouteServer, encoding: str) -> None:
    text = FEED * 100
    body = {
        "gzip": gzip.compress,
        "x-gzip": gzip.compress,
        "deflate": lambda data: zlib.compress(data)[2:-4],  # raw deflate, as IIS sends
        "br": brotli.compress,
    }[encoding](text)
    serve(server, "/feed", body, **{"Content-Encoding": encoding})
    assert fetch(server.url("/feed"), policy=local_policy()).content == text


def test_unknown_content_encoding_is_a_decoding_error(server: RouteServer) -> None:
    serve(server, "/feed", b"xx", **{"Content-Encoding": "compress"})
    with pytest.raises(Exception, match="'compress'") as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert caught.value.code == "bad_encoding"  # type: ignore[attr-defined]


def test_body_over_limit_is_refused(server: RouteServer) -> None:
    serve(server, "/big", b"x" * 2000)
    with pytest.raises(ResponseTooLarge):
        fetch(server.url("/big"), policy=local_policy(max_bytes=1000))
    assert len(fetch(server.url("/big"), policy=local_policy()).content) == 2000


def test_chunked_body_over_limit_is_refused(server: RouteServer) -> None:
    """Without Content-Length the count still stops at the limit."""

    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"y" * 4096
        try:
            for _ in range(1000):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            return

    server.routes["/endless"] = endless
    with pytest.raises(ResponseTooLarge):
        fetch(server.url("/endless"), policy=local_policy(max_bytes=100_000))


# ------------------------------------------------------------------------- timing


def test_slow_drip_body_times_out_within_the_cap(server: RouteServer) -> None:
    """A server dripping a byte every 50 ms never trips a read timeout, yet the whole
    request is cut at policy.timeout."""
    stop = threading.Event()

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            while not stop.is_set():
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return

    server.routes["/drip"] = drip
    started = time.monotonic()
    try:
        with pytest.raises(FetchTimeout, match="after 1 s"):
            fetch(server.url("/drip"), policy=local_policy(timeout=1.0))
    finally:
        stop.set()
    assert 0.9 < time.monotonic() - started < 1.6


def test_silent_server_times_out(server: RouteServer) -> None:
    """Headers that never come: FetchTimeout at the cap."""
    stop = threading.Event()
    server.routes["/silent"] = lambda handler: stop.wait(5)
    started = time.monotonic()
    try:
        with pytest.raises(FetchTimeout):
            fetch(server.url("/silent"), policy=local_policy(timeout=0.5))
    finally:
        stop.set()
    assert time.monotonic() - started < 1.2


def test_slow_resolver_counts_against_the_cap() -> None:
    def slow(host: str, port: int) -> list[str]:
        time.sleep(2)
        return ["93.184.216.34"]

    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch("http://slow.example/", policy=FetchPolicy(timeout=0.3, resolver=slow))
    assert time.monotonic() - started < 1.0


# ------------------------------------------------------------------------ statuses


def test_gone_is_its_own_error(server: RouteServer) -> None:
    server.routes["/feed"] = lambda h: respond(h, 410, b"gone")
    with pytest.raises(Gone) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert caught.value.status == 410
    assert "deactivated" in str(caught.value)


def test_429_with_seconds_is_rate_limited(server: RouteServer) -> None:
    server.routes["/feed"] = lambda h: respond(h, 429, b"", {"Retry-After": "120"})
    with pytest.raises(RateLimited) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert caught.value.retry_after == 120.0
    assert caught.value.status == 429


def test_503_with_http_date_is_rate_limited(server: RouteServer) -> None:
    later = datetime.now(UTC) + timedelta(minutes=10)
    server.routes["/feed"] = lambda h: respond(
        h, 503, b"", {"Retry-After": format_datetime(later, usegmt=True)}
    )
    with pytest.raises(RateLimited) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert caught.value.retry_after is not None
    assert 500 < caught.value.retry_after <= 600


def test_429_with_garbage_retry_after_has_none(server: RouteServer) -> None:
    server.routes["/feed"] = lambda h: respond(h, 429, b"", {"Retry-After": "soon!"})
    with pytest.raises(RateLimited) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert caught.value.retry_after is None


def test_503_without_retry_after_is_a_plain_status_error(server: RouteServer) -> None:
    server.routes["/feed"] = lambda h: respond(h, 503, b"")
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/feed"), policy=local_policy())
    assert type(caught.value) is HTTPStatusError
    assert caught.value.status == 503


def test_404_names_the_status(server: RouteServer) -> None:
    with pytest.raises(HTTPStatusError, match="answered 404") as caught:
        fetch(server.url("/missing"), policy=local_policy())
    assert caught.value.code == "http_status"


def test_redirect_without_location_is_a_status_error(server: RouteServer) -> None:
    server.routes["/feed"] = lambda h: respond(h, 302, b"")
    with pytest.raises(HTTPStatusError, match="302"):
        fetch(server.url("/feed"), policy=local_policy())


# ---------------------------------------------------------------- connection, TLS


def test_refused_connection_is_connection_failed(server: RouteServer) -> None:
    port = server.port
    server.stop()
    with pytest.raises(ConnectionFailed, match="Could not connect"):
        fetch(f"http://127.0.0.1:{port}/", policy=local_policy())
    server.start()


def test_untrusted_certificate_is_a_tls_failure(tls_server: RouteServer) -> None:
    """TLS is verified: a self-signed certificate is refused with TLSFailure."""
    serve(tls_server, "/feed")
    with pytest.raises(TLSFailure, match="certificate") as caught:
        fetch(tls_server.url("/feed"), policy=local_policy())
    assert caught.value.code == "tls"


def test_tls_verifies_against_the_name_not_the_address(
    tls_server: RouteServer, certificate: Certificate
) -> None:
    """With the certificate trusted, connecting to the checked IP still verifies the
    certificate for the *name* (SNI/Host): feed.test passes, other.test fails."""
    serve(tls_server, "/feed")
    policy = local_policy(
        ca_file=str(certificate.cert), resolver=lambda host, port: ["127.0.0.1"]
    )
    response = fetch(f"https://feed.test:{tls_server.port}/feed", policy=policy)
    assert response.content == FEED
    assert tls_server.seen[-1].headers["host"] == f"feed.test:{tls_server.port}"
    with pytest.raises(TLSFailure, match=r"Hostname mismatch|doesn't match"):
        fetch(f"https://other.test:{tls_server.port}/feed", policy=policy)


def test_https_to_a_plain_http_server_is_a_tls_failure(server: RouteServer) -> None:
    serve(server, "/feed")
    with pytest.raises(TLSFailure, match="handshake"):
        fetch(f"https://127.0.0.1:{server.port}/feed", policy=local_policy())


def test_server_speaking_garbage_is_connection_failed() -> None:
    """A TCP service that is not HTTP gives ConnectionFailed, not a crash."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def garbage() -> None:
        connection, _ = listener.accept()
        connection.recv(1024)
        connection.sendall(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")
        connection.close()

    thread = threading.Thread(target=garbage, daemon=True)
    thread.start()
    try:
        with pytest.raises(ConnectionFailed):
            fetch(f"http://127.0.0.1:{port}/", policy=local_policy())
    finally:
        thread.join(timeout=2)
        listener.close()


# ------------------------------------------------------------------ form posts


def test_form_is_posted_urlencoded(server: RouteServer) -> None:
    """``form=`` POSTs the fields (a WebSub subscription request) and returns the
    answer like a GET's."""
    server.routes["/hub"] = lambda h: respond(h, 202, b"Accepted")

    response = fetch(
        server.url("/hub"),
        policy=local_policy(),
        form={"hub.mode": "subscribe", "hub.topic": "https://a.example/f?x=1&y"},
    )

    assert (response.status, response.content) == (202, b"Accepted")
    (seen,) = server.seen
    assert seen.method == "POST"
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert (
        seen.body
        == b"hub.mode=subscribe&hub.topic=https%3A%2F%2Fa.example%2Ff%3Fx%3D1%26y"
    )


def test_a_post_is_not_redirected(server: RouteServer) -> None:
    """A redirect answer to a POST is an error, not followed (the form would be
    lost or resent elsewhere)."""
    server.routes["/hub"] = lambda h: respond(h, 307, b"", {"Location": "/other"})
    serve(server, "/other")

    with pytest.raises(HTTPStatusError):
        fetch(server.url("/hub"), policy=local_policy(), form={"a": "b"})
    assert [seen.path for seen in server.seen] == ["/hub"]


def test_a_post_to_a_blocked_address_is_refused() -> None:
    with pytest.raises(BlockedAddress):
        fetch("http://127.0.0.1:9/hub", policy=FetchPolicy(), form={"a": "b"})

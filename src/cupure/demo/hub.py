"""A small WebSub hub (W3C WebSub §5-§7), for the demo publishers and for tests.

It does what a subscriber meets from a real hub: accepts ``hub.mode=subscribe`` /
``unsubscribe`` form posts with 202, then verifies the intent on its own thread with
a GET carrying a random ``hub.challenge`` (retried while the callback cannot be
reached, as hubs do: the demo subscribes before its site serves), keeps the verified
subscriptions with their secret and lease, and distributes content with
``X-Hub-Signature`` (HMAC of the body with the subscriber's secret). Knobs let tests
make it refuse requests, deny subscriptions or grant short leases.

It speaks HTTP with :mod:`http.client` to loopback callbacks only: it plays the
publisher's side, which is not cupure's fetcher.
"""

from __future__ import annotations

import http.client
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from cupure.feeds.websub import sign

log = logging.getLogger(__name__)

# How often, and how far apart, a verification is tried while the callback does not
# answer (the demo subscribes while its own site is still starting).
VERIFY_ATTEMPTS = 300
VERIFY_RETRY_SECONDS = 1.0
# The lease the hub grants when asked for more (hubs cap them; 1 day is common).
MAX_LEASE_SECONDS = 24 * 3600
HTTP_TIMEOUT_SECONDS = 10.0


@dataclass
class HubSubscriber:
    callback: str
    secret: str
    expires: float  # time.time() when the lease ends


@dataclass
class Hub:
    """The hub's state and behaviour; an HTTP server hands it requests."""

    url: str  # where the hub is, for the Link headers of distributions
    max_lease_seconds: int = MAX_LEASE_SECONDS
    verify_attempts: int = VERIFY_ATTEMPTS
    verify_retry_seconds: float = VERIFY_RETRY_SECONDS
    signature_method: str = "sha256"
    # Seconds between accepting a request and verifying it (hubs verify later).
    verify_delay_seconds: float = 0.0
    # Tests: answer every (un)subscription request with this status instead of 202.
    refuse_status: int | None = None
    # Tests: tell subscribers hub.mode=denied instead of verifying.
    deny_reason: str | None = None
    subscribers: dict[str, dict[str, HubSubscriber]] = field(default_factory=dict)
    # What happened, one line each ("verified subscribe <topic>", "pushed 202 …").
    events: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    # -- requests from subscribers ---------------------------------------------------

    def handle_request(self, form: dict[str, str]) -> tuple[int, str]:
        """A subscriber's form post: ``(status, body)``. Valid requests are
        accepted (202) and verified afterwards, on another thread."""
        mode = form.get("hub.mode", "")
        topic = form.get("hub.topic", "")
        callback = form.get("hub.callback", "")
        if mode not in ("subscribe", "unsubscribe"):
            return 400, "hub.mode must be subscribe or unsubscribe"
        if not topic or urlsplit(callback).scheme not in ("http", "https"):
            return 400, "hub.topic and an http(s) hub.callback are required"
        if self.refuse_status is not None:
            return self.refuse_status, "refused (test)"
        secret = form.get("hub.secret", "")
        if len(secret.encode()) >= 200:
            return 400, "hub.secret must be less than 200 bytes"
        lease = form.get("hub.lease_seconds", "")
        seconds = min(
            int(lease) if lease.isdigit() else self.max_lease_seconds,
            self.max_lease_seconds,
        )
        thread = threading.Thread(
            target=self._verify,
            args=(mode, topic, callback, secret, seconds),
            name="websub-hub-verify",
            daemon=True,
        )
        self._threads.append(thread)
        thread.start()
        return 202, "Accepted"

    def _verify(
        self, mode: str, topic: str, callback: str, secret: str, lease: int
    ) -> None:
        time.sleep(self.verify_delay_seconds)
        if self.deny_reason is not None and mode == "subscribe":
            query = {"hub.mode": "denied", "hub.topic": topic}
            query["hub.reason"] = self.deny_reason
            self._call_until_answered(callback, query)
            self._note(f"denied {topic}")
            return
        challenge = secrets.token_urlsafe(16)
        query = {"hub.mode": mode, "hub.topic": topic, "hub.challenge": challenge}
        if mode == "subscribe":
            query["hub.lease_seconds"] = str(lease)
        answer = self._call_until_answered(callback, query)
        if answer is None:
            self._note(f"unreachable {callback}")
            return
        status, body = answer
        if status // 100 != 2 or body.decode("utf-8", "replace") != challenge:
            self._note(f"not verified {mode} {topic} ({status})")
            return
        with self._lock:
            topic_subscribers = self.subscribers.setdefault(topic, {})
            if mode == "subscribe":
                topic_subscribers[callback] = HubSubscriber(
                    callback, secret, time.time() + lease
                )
            else:
                topic_subscribers.pop(callback, None)
        self._note(f"verified {mode} {topic}")

    def _call_until_answered(
        self, callback: str, query: dict[str, str]
    ) -> tuple[int, bytes] | None:
        separator = "&" if urlsplit(callback).query else "?"
        url = callback + separator + urlencode(query)
        for _ in range(self.verify_attempts):
            try:
                status, body = _http("GET", url)
            except OSError:
                time.sleep(self.verify_retry_seconds)
                continue
            if status >= 500:
                time.sleep(self.verify_retry_seconds)
                continue
            return status, body
        return None

    # -- publishing ------------------------------------------------------------------

    def publish(self, topic: str, body: bytes, content_type: str) -> list[int]:
        """Distribute ``body`` to every subscriber of ``topic`` whose lease runs;
        their answers' statuses. A 410 ends that subscription, as hubs do."""
        with self._lock:
            now = time.time()
            targets = [
                s for s in self.subscribers.get(topic, {}).values() if s.expires > now
            ]
        statuses = []
        for subscriber in targets:
            headers = {
                "Content-Type": content_type,
                "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
            }
            if subscriber.secret:
                headers["X-Hub-Signature"] = sign(
                    subscriber.secret, body, self.signature_method
                )
            try:
                status, _ = _http("POST", subscriber.callback, body, headers)
            except OSError as error:
                self._note(f"push failed {subscriber.callback}: {error}")
                statuses.append(0)
                continue
            if status == 410:
                with self._lock:
                    self.subscribers.get(topic, {}).pop(subscriber.callback, None)
            self._note(f"pushed {status} {topic}")
            statuses.append(status)
        return statuses

    def subscribed(self, topic: str) -> list[str]:
        """The callbacks with a running lease on ``topic``."""
        with self._lock:
            now = time.time()
            return [
                s.callback
                for s in self.subscribers.get(topic, {}).values()
                if s.expires > now
            ]

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait for pending verifications (tests)."""
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    def _note(self, event: str) -> None:
        log.info("websub hub: %s", event)
        with self._lock:
            self.events.append(event)


def _http(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """One request to a subscriber's callback; ``(status, body)``."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection
        if parts.scheme == "https"
        else http.client.HTTPConnection
    )
    connection = connection_class(
        parts.hostname or "", parts.port, timeout=HTTP_TIMEOUT_SECONDS
    )
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()

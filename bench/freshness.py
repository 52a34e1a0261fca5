"""How long a new article waits before it is on the site (issue #20).

Simulates publishers on a virtual clock (no sleeping, no network): a week of warm-up
so the scheduler has a history, then one measured day. Publishers post at bursty,
realistic rates: a few news wires (every few minutes by day, bursts of breaking news,
quiet nights), newspapers with several section feeds on one host, and many slow
blogs (a few a day to one a week), some on a shared blog platform. Some offer a
WebSub hub.

Four ways to follow them, each reporting the delay from publication to the article
being on the site (p50/p90/p99, over the measured day's articles) and the feed
requests made that day:

* **fixed 30 min**: every feed polled every 30 minutes (cupure before issue #20);
* **fixed, adaptive's budget**: every feed polled at the one fixed interval that
  makes as many requests as adaptive polling does;
* **adaptive**: the REAL scheduler, :func:`cupure.feeds.schedule.poll_plan`, with
  the host budget, each publisher's Cache-Control and ``<ttl>`` as modelled below;
* **push + adaptive**: feeds with a hub are pushed (hub latency modelled below, a
  few pushes lost and caught by the safety-net polls, lease renewals counted as
  requests); the others polled adaptively. "push, hub feeds" is the same run over
  the feeds that offer a hub.

After a poll or a push the article page is fetched and extracted: 1–4 s, the same in
every mode. A feed document lists its latest 20 entries; an entry pushed out of it
before a poll saw it is *missed* (counted).

    .venv/bin/python bench/freshness.py [--seed 1] [--write]

``--write`` replaces the "## Freshness" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import bisect
import heapq
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import command_line, machine_line, table, write_section

from cupure.feeds.schedule import (
    GAPS_KEPT,
    HOST_BUDGET_PER_HOUR,
    MAX_POLL_SECONDS,
    MIN_POLL_SECONDS,
    poll_plan,
)
from cupure.feeds.websub import RENEW_SHARE_LEFT

HOUR = 3600.0
DAY = 24 * HOUR
WARMUP_DAYS = 7
# The measured day is the one after the warm-up; polls run on past it so the day's
# last articles are found too.
DAY_START = WARMUP_DAYS * DAY
DAY_END = DAY_START + DAY
SIM_END = DAY_END + 2 * DAY
EPOCH = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday, 00:00 UTC
FEED_WINDOW = 20  # entries a feed document lists
FIXED_INTERVAL = 30 * 60.0
# Hub latency: publisher ping, hub fetch, distribution. Log-normal, median 3 s;
# PUSH_LOST of pushes never arrive (a hub's hiccup) and wait for a safety-net poll.
HUB_MEDIAN_SECONDS = 3.0
HUB_SIGMA = 0.9
PUSH_LOST = 0.005
HUB_LEASE_SECONDS = DAY
INGEST_SECONDS = (1.0, 4.0)


@dataclass
class Feed:
    name: str
    kind: str
    host: str
    hub: bool
    max_age: float | None  # Cache-Control max-age the publisher sends
    ttl: int | None  # RSS <ttl> in seconds
    published: list[float] = field(default_factory=list)  # seconds from EPOCH
    push_seconds: list[float] = field(default_factory=list)  # inf: lost
    ingest_seconds: list[float] = field(default_factory=list)


# --- publishers ------------------------------------------------------------------


def _daytime(hour: float) -> bool:
    return 7 <= hour % 24 < 22


def _posts(rng: random.Random, rate_at) -> list[float]:
    """Publication times over the whole simulation for a rate (posts/hour) that
    varies minute by minute (``rate_at(minute, state)``)."""
    times = []
    state: dict[str, float] = {"burst_until": -1.0}
    minutes = int(SIM_END // 60)
    for minute in range(minutes):
        rate = rate_at(minute, state, rng)
        if rng.random() < min(rate / 60.0, 0.95):
            times.append(minute * 60.0 + rng.random() * 60.0)
    return times


def _wire_rate(day_rate: float, night_rate: float, bursts_per_day: float):
    """A wire: day/night rates, and bursts of breaking news (30/h for ~40 min)."""

    def rate(minute: int, state: dict[str, float], rng: random.Random) -> float:
        hour = minute / 60.0
        if minute < state["burst_until"]:
            return 30.0
        if rng.random() < bursts_per_day / (24 * 60):
            state["burst_until"] = minute + rng.expovariate(1 / 40)
            return 30.0
        return day_rate if _daytime(hour) else night_rate

    return rate


def _steady_rate(per_day: float, day_share: float = 0.85):
    """Posts a day, most of them by day (``day_share``)."""
    day_rate = per_day * day_share / 15.0
    night_rate = per_day * (1 - day_share) / 9.0

    def rate(minute: int, state: dict[str, float], rng: random.Random) -> float:
        return day_rate if _daytime(minute / 60.0) else night_rate

    return rate


def publishers(rng: random.Random) -> list[Feed]:
    """The simulated publishers (see the module docstring); seeded."""
    feeds = []
    for number in range(4):
        feeds.append(
            Feed(
                f"wire-{number}",
                "wire",
                f"wire{number}.example",
                hub=number < 2,
                max_age=60.0,
                ttl=None,
                published=_posts(
                    rng, _wire_rate(rng.uniform(6, 10), rng.uniform(1, 2), 2.0)
                ),
            )
        )
    for paper in range(10):
        for section in range(3):
            feeds.append(
                Feed(
                    f"paper-{paper}-{section}",
                    "newspaper",
                    f"paper{paper}.example",
                    hub=paper < 3,
                    max_age=rng.choice([300.0, 600.0, 900.0, None]),
                    ttl=None,
                    published=_posts(
                        rng,
                        _wire_rate(rng.uniform(1, 2.5), rng.uniform(0.05, 0.2), 0.2),
                    ),
                )
            )
    for blog in range(120):
        per_day = math.exp(rng.uniform(math.log(1 / 7), math.log(3)))
        on_platform = blog < 40
        feeds.append(
            Feed(
                f"blog-{blog}",
                "blog",
                "blogs.example" if on_platform else f"blog{blog}.example",
                hub=on_platform or rng.random() < 0.2,
                max_age=rng.choice([600.0, 1800.0, 3600.0, None]),
                ttl=rng.choice([None, None, 3600]),
                published=_posts(rng, _steady_rate(per_day)),
            )
        )
    for feed in feeds:
        feed.push_seconds = [
            math.inf
            if rng.random() < PUSH_LOST
            else rng.lognormvariate(math.log(HUB_MEDIAN_SECONDS), HUB_SIGMA)
            for _ in feed.published
        ]
        feed.ingest_seconds = [rng.uniform(*INGEST_SECONDS) for _ in feed.published]
    return feeds


# --- following them ----------------------------------------------------------------


@dataclass
class Outcome:
    delays: list[float]  # seconds, one per article of the measured day
    requests: int  # feed requests (polls, hub requests) during the measured day
    missed: int  # articles of the day that fell out of the feed unseen


def _measured(feed: Feed) -> range:
    first = bisect.bisect_left(feed.published, DAY_START)
    last = bisect.bisect_left(feed.published, DAY_END)
    return range(first, last)


def _seen_at(polls: list[float], feed: Feed, index: int) -> float:
    """When a poll first saw entry ``index`` (inf: it fell out of the window)."""
    at = bisect.bisect_left(polls, feed.published[index])
    if at == len(polls):
        return math.inf
    poll = polls[at]
    newer = bisect.bisect_right(feed.published, poll) - index - 1
    return poll if newer < FEED_WINDOW else math.inf


def fixed(feeds: list[Feed], interval: float, rng: random.Random) -> Outcome:
    delays, requests, missed = [], 0, 0
    for feed in feeds:
        phase = rng.uniform(0, interval)
        polls = [phase + k * interval for k in range(int(SIM_END // interval) + 1)]
        requests += sum(DAY_START <= p < DAY_END for p in polls)
        for index in _measured(feed):
            seen = _seen_at(polls, feed, index)
            if seen == math.inf:
                missed += 1
                continue
            delays.append(seen - feed.published[index] + feed.ingest_seconds[index])
    return Outcome(delays, requests, missed)


def adaptive_polls(
    feeds: list[Feed], rng: random.Random, *, push: bool
) -> list[list[float]]:
    """Every feed's poll times, each next one chosen by cupure's scheduler from
    what the poll saw (with ``push``, feeds with a hub are pushed and polled only
    as its safety net)."""
    polls: list[list[float]] = [[] for _ in feeds]
    wanted: dict[str, dict[int, float]] = defaultdict(dict)
    host_feeds: dict[str, int] = defaultdict(int)
    for feed in feeds:
        host_feeds[feed.host] += 1
    # Subscribed at random moments of the first hour.
    queue = [(rng.uniform(0, HOUR), number) for number in range(len(feeds))]
    heapq.heapify(queue)
    while queue:
        now, number = heapq.heappop(queue)
        if now >= SIM_END:
            continue
        feed = feeds[number]
        previous = polls[number][-1] if polls[number] else None
        polls[number].append(now)
        seen = bisect.bisect_right(feed.published, now)
        # The real poller's test: a feed listing 10+ entries, every one new.
        listed = min(seen, FEED_WINDOW)
        new = seen - (
            bisect.bisect_right(feed.published, previous) if previous is not None else 0
        )
        overflowed = previous is not None and listed >= 10 and new >= listed
        since = bisect.bisect_left(feed.published, now - 7 * DAY)
        # Only the latest GAPS_KEPT + 1 entries of the window decide the interval
        # (the typical gap is the median of the last GAPS_KEPT gaps), so passing
        # more would change nothing but the running time.
        recent = feed.published[max(since, seen - GAPS_KEPT - 1) : seen]
        others = wanted[feed.host]
        plan = poll_plan(
            [EPOCH + timedelta(seconds=s) for s in recent],
            now=EPOCH + timedelta(seconds=now),
            cache_lifetime=feed.max_age,
            ttl_seconds=feed.ttl,
            host=feed.host,
            host_others_per_hour=sum(
                3600.0 / w for n, w in others.items() if n != number
            ),
            host_feeds=host_feeds[feed.host],
            host_budget_per_hour=HOST_BUDGET_PER_HOUR,
            pushed=push and feed.hub,
            overflowed=overflowed,
        )
        others[number] = plan.wanted_seconds
        heapq.heappush(queue, (now + plan.seconds, number))
    return polls


def adaptive(
    feeds: list[Feed], polls: list[list[float]], *, push: bool, only_hub: bool = False
) -> Outcome:
    delays, requests, missed = [], 0, 0
    for feed, feed_polls in zip(feeds, polls, strict=True):
        if only_hub and not feed.hub:
            continue
        requests += sum(DAY_START <= p < DAY_END for p in feed_polls)
        pushed = push and feed.hub
        if pushed:
            # Subscription renewals: one per lease, sent with a fifth of it left.
            requests += round(DAY / (HUB_LEASE_SECONDS * (1 - RENEW_SHARE_LEFT)))
        for index in _measured(feed):
            published = feed.published[index]
            by_poll = _seen_at(feed_polls, feed, index) - published
            by_push = _pushed_after(feed, index) if pushed else math.inf
            wait = min(by_poll, by_push)
            if wait == math.inf:
                missed += 1
                continue
            delays.append(wait + feed.ingest_seconds[index])
    return Outcome(delays, requests, missed)


def _pushed_after(feed: Feed, index: int) -> float:
    """Seconds from publication until a push carries entry ``index``: its own, or
    when that one was lost, the next push of the feed (hubs send the feed document,
    which still lists it while it is among the latest FEED_WINDOW entries)."""
    last = min(index + FEED_WINDOW, len(feed.published))
    for later in range(index, last):
        if feed.push_seconds[later] != math.inf:
            arrival = feed.published[later] + feed.push_seconds[later]
            return arrival - feed.published[index]
    return math.inf


def interval_for_requests(feeds: list[Feed], requests: int) -> float:
    """The fixed interval at which ``feeds`` make ``requests`` requests a day."""
    return DAY * len(feeds) / max(requests, 1)


# --- report ------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * HOUR:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / HOUR:.1f} h"


@dataclass
class Simulation:
    feeds: list[Feed]
    runs: list[tuple[str, Outcome]]
    fixed_30: Outcome
    adaptive: Outcome
    hub_only: Outcome


def simulate(seed: int) -> Simulation:
    """Every mode over the publishers of ``seed``."""
    feeds = publishers(random.Random(seed))
    runs: list[tuple[str, Outcome]] = []
    fixed_30 = fixed(feeds, FIXED_INTERVAL, random.Random(seed))
    runs.append(("fixed 30 min (before)", fixed_30))
    adaptive_schedule = adaptive_polls(feeds, random.Random(seed), push=False)
    adaptive_run = adaptive(feeds, adaptive_schedule, push=False)
    same_budget = interval_for_requests(feeds, adaptive_run.requests)
    runs.append(
        (
            f"fixed {duration(same_budget)} (adaptive's requests)",
            fixed(feeds, same_budget, random.Random(seed)),
        )
    )
    runs.append(("adaptive", adaptive_run))
    push_schedule = adaptive_polls(feeds, random.Random(seed), push=True)
    runs.append(("push + adaptive", adaptive(feeds, push_schedule, push=True)))
    hub_only = adaptive(feeds, push_schedule, push=True, only_hub=True)
    runs.append(("push, hub feeds only", hub_only))
    return Simulation(feeds, runs, fixed_30, adaptive_run, hub_only)


def _other_seed_row(seed: int) -> tuple[object, ...]:
    sim = simulate(seed)
    fixed_p50 = percentile(sim.fixed_30.delays, 0.5)
    adaptive_p50 = percentile(sim.adaptive.delays, 0.5)
    return (
        seed,
        duration(fixed_p50),
        duration(adaptive_p50),
        f"{fixed_p50 / adaptive_p50:.1f}×",
        f"{sim.adaptive.requests / sim.fixed_30.requests:.0%}",
        sim.adaptive.missed,
        duration(percentile(sim.hub_only.delays, 0.5)),
        duration(percentile(sim.hub_only.delays, 0.99)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--other-seeds",
        type=int,
        default=2,
        help="also run this many other seeds, summed up in one line each",
    )
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)
    argv_shown = list(argv if argv is not None else sys.argv[1:])
    started = time.monotonic()
    sim = simulate(args.seed)
    feeds, runs = sim.feeds, sim.runs
    fixed_30, adaptive_run, hub_only = sim.fixed_30, sim.adaptive, sim.hub_only
    day_articles = sum(len(_measured(f)) for f in feeds)
    hub_feeds = [f for f in feeds if f.hub]
    others = [_other_seed_row(args.seed + n) for n in range(1, args.other_seeds + 1)]

    rows = []
    for name, outcome in runs:
        rows.append(
            (
                name,
                len(outcome.delays),
                duration(percentile(outcome.delays, 0.5)),
                duration(percentile(outcome.delays, 0.9)),
                duration(percentile(outcome.delays, 0.99)),
                outcome.requests,
                f"{outcome.requests / fixed_30.requests:.0%}",
                outcome.missed,
            )
        )
    fixed_p50 = percentile(fixed_30.delays, 0.5)
    adaptive_p50 = percentile(adaptive_run.delays, 0.5)
    push_p50 = percentile(hub_only.delays, 0.5)
    push_p99 = percentile(hub_only.delays, 0.99)
    adaptive_met = (
        fixed_p50 / adaptive_p50 >= 3 and adaptive_run.requests <= fixed_30.requests
    )
    kinds: dict[str, int] = defaultdict(int)
    for feed in feeds:
        kinds[feed.kind] += 1
    goals = [
        f"push p50 {duration(push_p50)} (goal < 60 s): "
        f"{'met' if push_p50 < 60 else 'NOT met'}; "
        f"push p99 {duration(push_p99)} (goal < 5 min): "
        f"{'met' if push_p99 < 300 else 'NOT met'}",
        f"adaptive p50 {fixed_p50 / adaptive_p50:.1f}× better than fixed 30 min "
        f"with {adaptive_run.requests / fixed_30.requests:.0%} of its requests "
        f"(goal ≥ 3× for no more requests): {'met' if adaptive_met else 'NOT met'}",
    ]
    body = "\n".join(
        [
            f"`{command_line('freshness.py', argv_shown)}` — {machine_line()}; "
            f"simulated in {time.monotonic() - started:.0f} s",
            "",
            f"One simulated day (after a week of warm-up) of {len(feeds)} feeds: "
            f"{kinds['wire']} news wires (6–10 posts an hour by day, 1–2 at night, "
            "bursts of 30 an hour for ~40 min twice a day), "
            f"{kinds['newspaper']} newspaper section feeds (3 per host, 1–2.5 an "
            f"hour by day), {kinds['blog']} blogs (one a week to three a day, 40 on "
            f"one blog platform); {len(hub_feeds)} offer a WebSub hub. "
            f"{day_articles} articles that day. Delay: publication → article on the "
            "site (page fetch and extraction 1–4 s included). Requests: feed "
            "fetches and hub (re)subscriptions that day; article pages are fetched "
            "once in every mode and not counted. Adaptive: cupure.feeds.schedule "
            f"as shipped (floor {duration(MIN_POLL_SECONDS)}, ceiling "
            f"{duration(MAX_POLL_SECONDS)}, {HOST_BUDGET_PER_HOUR:g} requests/h per "
            "host, publishers' Cache-Control 1–60 min and `<ttl>` honoured). Push: "
            f"hub latency log-normal, median {HUB_MEDIAN_SECONDS:g} s; "
            f"{PUSH_LOST:.1%} of pushes lost (the feed's next push, which lists the "
            "entry again, or the safety-net poll brings it).",
            "",
            table(
                [
                    "mode",
                    "articles",
                    "p50",
                    "p90",
                    "p99",
                    "requests",
                    "vs fixed 30 min",
                    "missed",
                ],
                rows,
            ),
            "",
            *[f"- {goal}" for goal in goals],
            "",
            "Other seeds (other publishers, same model):",
            "",
            table(
                [
                    "seed",
                    "fixed 30 min p50",
                    "adaptive p50",
                    "better",
                    "adaptive requests",
                    "adaptive missed",
                    "push p50",
                    "push p99",
                ],
                others,
            ),
            "",
            "Adaptive polling spends the requests where the articles are: wires at "
            "the floor, newspapers at half their gap, a weekly blog daily. Its p99 "
            "is the slow blogs' (polled a few times a day, so an article after a "
            "long silence waits hours), which fixed polling bounds at 30 min by "
            "asking every quiet feed 48 times a day; push takes that tail away for "
            "the feeds that offer a hub. *Missed*: articles a feed listed and "
            "dropped between two polls: a burst of more than 20 after hours of "
            "silence, when adaptive polling had slowed down (a poll that finds "
            "every entry new is followed by one at the floor, which bounds the "
            "loss).",
        ]
    )
    print(body)
    if args.write:
        write_section("Freshness", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

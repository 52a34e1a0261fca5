"""Trending topics: coverage rising now against each topic's own baseline.

The unit of coverage is a *report*: one publisher covering one story with the topic.
A publisher re-posting the same story counts once, and within one window a publisher
contributes at most :data:`REPORTS_PER_PUBLISHER_CAP` reports, so one noisy outlet
cannot make a trend however often it posts. A topic trends when, in the window before
``at``,

* at least :data:`MIN_PUBLISHERS` publishers and :data:`MIN_REPORTS` reports cover it,
* and its report count stands at least :data:`MIN_SCORE` standard deviations above its
  mean over the :data:`BASELINE_WINDOWS` windows before (a z-score, with a Poisson
  variance floor so that a topic rising from nothing has a finite, comparable score).

A topic that is always in the news ("police", or a president covered every day) has a
high baseline and does not trend by volume alone; a new name covered by five
publishers in six hours does.

The nav (:func:`topics_in_the_news`) has room for :data:`NAV_TOPICS`: the rising
topics come first, and the rest of the room goes to the topics the window covers
most (at least :data:`MIN_PUBLISHERS` publishers), so a stream where nothing is
*new* still shows what it is about (issue #15: a sparse stream of a dozen events a
day named one or two topics). One story is named once: a topic whose stories are
mostly those of a topic already listed is a facet of the same news ("Selena Gomez"
beside "Justin Bieber"), and a fragment gives way to the longer name that contains
it ("Berth" to "Berth 9").
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape

# A publisher counts for at most this many reports per window: a feed that posts the
# same news 20 times (or 20 rewrites of it) is one voice, not twenty.
REPORTS_PER_PUBLISHER_CAP = 2
# A trend needs this many distinct publishers in the window: one or two outlets pushing
# a topic is a campaign, not news rising across the press.
MIN_PUBLISHERS = 3
# ... and this many reports (after the cap): fewer is noise at any baseline.
MIN_REPORTS = 3
# The baseline is the mean over this many windows before the current one (a week of
# 6-hour windows): long enough to see a topic's normal level, short enough to forget
# last month's news.
BASELINE_WINDOWS = 28
# Added to the variance of the baseline: Poisson noise of about one report even for a
# topic never seen before, so 0 -> 5 scores 5, not infinity.
VARIANCE_FLOOR = 1.0
# Minimum z-score for a trend: about two standard deviations above normal coverage.
MIN_SCORE = 2.0
# The nav has room for this many topics.
NAV_TOPICS = 10
# A rising topic goes first in the nav from this many reports on: on a dense stream
# every new name covered by three outlets "rises", and the nav has room for ten.
NAV_RISING_MIN_REPORTS = 5
# Rising this many standard deviations or more is a clear rise; the nav orders clear
# rises by reports, not by how new they are.
CLEAR_RISE = 3.0
# When the window has too few covered topics for the nav (a sparse stream: a few
# dozen reports a day), the rest of the room goes to the topics most covered over
# these multiples of the window (a day, then three days for the 6-hour window),
# each with the publishers it needs: over three days, news two publishers
# covered (a story told twice, not a campaign) still beats an empty slot.
FILL_WINDOWS = ((4, MIN_PUBLISHERS), (12, MIN_PUBLISHERS), (12, 2))
# A topic is a facet of listed ones when at least this share of its reports are in
# stories a listed topic is the subject of, or of its articles name a listed topic:
# one story, named once.
FACET_SHARE = 0.5
# A facet with this many times the reports of the topic listed for its story takes
# that topic's place: the story is shown under the name most reports use.
NAME_SWAP_RATIO = 1.5
# A topic is a subject of a story when this share of the story's articles in the
# window name it: "Beyonce" in one headline of the Billboard story does not make
# Taylor Swift a facet of Beyonce.
CORE_SHARE = 0.3
# A fragment ("Berth") gives way to a longer name containing it ("Berth 9") when the
# longer name has at least this share of the fragment's reports: most mentions of the
# fragment were the longer name cut short.
FRAGMENT_SHARE = 0.8


@dataclass(frozen=True)
class Mention:
    """One article's mention of a topic: which story, which publisher, when."""

    topic: str
    story: int
    publisher: str
    published: datetime
    # The article, when known: topics named in the same articles are one news
    # (0: unknown; the story stands in).
    article: int = 0


@dataclass(frozen=True)
class Trend:
    """A trending topic and the numbers behind it.

    ``count`` is the reports (publisher x story, capped per publisher) in the window;
    ``baseline`` the mean reports per window before it; ``first_seen`` the earliest
    mention in the window. ``rising`` is False for a topic listed for its coverage
    alone (the nav's second part: covered, but not more than usual).
    """

    topic: str
    score: float
    count: int
    baseline: float
    publishers: int
    stories: int
    first_seen: datetime
    window: timedelta = timedelta(hours=6)
    rising: bool = True

    def explain(self) -> str:
        """One sentence with the numbers, e.g. for a tooltip or the topic page:
        "Rising: 5 reports on 2 stories from 5 publishers in the last 6 hours,
        up from 0.3 per 6 hours before; first seen 20 Nov 06:30 UTC"."""
        span = _format_span(self.window)
        reports = _plural(self.count, "report")
        stories = _plural(self.stories, "story", "stories")
        publishers = _plural(self.publishers, "publisher")
        seen = _format_time(self.first_seen)
        before = (
            f"{self.baseline:.1f} per {span} before"
            if self.baseline > 0
            else "none before"
        )
        if self.rising:
            rise = f"up from {before}" if self.baseline > 0 else before
            return (
                f"Rising: {reports} on {stories} from {publishers} in the last "
                f"{span}, {rise}; first seen {seen}"
            )
        return (
            f"In the news: {reports} on {stories} from {publishers} in the last "
            f"{span} ({before})"
        )


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _format_span(span: timedelta) -> str:
    """ "6 hours", "day", "3 days": what follows "in the last" and "per"."""
    seconds = int(span.total_seconds())
    for unit, name in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds % unit == 0:
            count = seconds // unit
            return name if count == 1 else f"{count} {name}s"
    return f"{seconds} seconds"


def _format_time(when: datetime) -> str:
    zone = when.tzname()  # None for a naive time
    text = f"{when.day} {when:%b %H:%M}"
    return f"{text} {zone}" if zone else text


def _window_index(at: datetime, published: datetime, window: timedelta) -> int:
    """0 for (at - window, at], 1 for the window before, ...; negative after ``at``."""
    try:
        delta = at - published
    except TypeError as exc:
        raise ValueError(
            "Mention times and 'at' must all be timezone-aware (or all naive); "
            f"got at={at!r} and published={published!r}."
        ) from exc
    return delta // window


def trending_topics(
    mentions: Iterable[Mention],
    *,
    at: datetime,
    window: timedelta = timedelta(hours=6),
    limit: int = 10,
    data_start: datetime | None = None,
) -> list[Trend]:
    """The topics trending (rising) at ``at``, best first, at most ``limit``.

    Only mentions published in the :data:`BASELINE_WINDOWS` + 1 windows up to ``at``
    matter; later ones are ignored, so a past ``at`` replays history. Baseline windows
    before the data starts are not counted as zero coverage: with a day of data the
    baseline is the mean over the windows that day holds. The data starts at
    ``data_start`` when given (pass it when ``mentions`` hold one topic only, so its
    baseline matches the one computed over all topics), else at the earliest mention.
    Ties are broken by count, then topic key, so the result is deterministic.
    """
    if window <= timedelta(0):
        raise ValueError(f"The trend window must be positive, got {window}.")
    if limit <= 0:
        return []
    covered, _ = _covered_topics(mentions, at=at, window=window, data_start=data_start)
    rising = [t for t in covered if t.rising]
    rising.sort(key=lambda t: (-t.score, -t.count, -t.stories, t.topic))
    return rising[:limit]


def topics_in_the_news(
    mentions: Iterable[Mention],
    *,
    at: datetime,
    window: timedelta = timedelta(hours=6),
    limit: int = NAV_TOPICS,
    data_start: datetime | None = None,
) -> list[Trend]:
    """The nav's topics at ``at``, at most ``limit``, each story named once.

    Candidates come in rounds until the nav is full: the window's topics (clear
    rises of :data:`NAV_RISING_MIN_REPORTS`+ reports first, then the rest by
    reports), then those of the wider :data:`FILL_WINDOWS` (listed as "in the
    news", not rising). A candidate is left out when it is a facet of listed news:
    :data:`FACET_SHARE` of its reports in stories a listed topic is the subject of
    (:data:`CORE_SHARE`), or of its articles naming a listed topic; or when it
    shares a word with a listed topic and that word is a topic of the window
    ("Apple iPhone" after "Apple iOS"). A facet with :data:`NAME_SWAP_RATIO` times
    the reports of the topic listed for its story takes that place ("Miley Cyrus"
    over "Bangerz"), and a fragment gives way to a longer candidate containing its
    words in order with :data:`FRAGMENT_SHARE` of its reports ("Berth 9" over
    "Berth"). Each topic listed keeps its own numbers, so its ``explain()`` is
    true of it.
    """
    if window <= timedelta(0):
        raise ValueError(f"The trend window must be positive, got {window}.")
    mentions = list(mentions)
    candidates: list[Trend] = []
    coverage: dict[str, _Coverage] = {}
    listed: list[Trend] = []
    listed_core: set[int] = set()
    listed_articles: set[int] = set()
    listed_words: set[str] = set()
    for round_, (times, publishers) in enumerate(((1, MIN_PUBLISHERS), *FILL_WINDOWS)):
        if len(listed) >= limit:
            break
        found, found_stories = _covered_topics(
            mentions,
            at=at,
            window=window * times,
            data_start=data_start,
            min_publishers=publishers,
        )
        known = {t.topic for t in candidates}
        fresh = [
            t if round_ == 0 else replace(t, rising=False)
            for t in found
            if t.topic not in known
        ]
        # A small rise (three reports of a new name) does not go before the news
        # most covered now: it takes its place among them by reports.
        # Among clear rises (CLEAR_RISE and up) the bigger news leads: a name
        # new this morning with 9 reports scores 9, one that doubled from 30 to
        # 73 scores 4, and both are rising.
        fresh.sort(
            key=lambda t: (
                not (t.rising and t.count >= NAV_RISING_MIN_REPORTS),
                -min(t.score, CLEAR_RISE)
                if t.rising and t.count >= NAV_RISING_MIN_REPORTS
                else 0.0,
                -t.count,
                -t.stories,
                t.topic,
            )
        )
        candidates += fresh
        for trend in fresh:
            coverage[trend.topic] = found_stories[trend.topic]
        words = {t.topic: tuple(t.topic.split("-")) for t in candidates}
        single_words = {w[0] for w in words.values() if len(w) == 1}
        by_word: dict[str, list[Trend]] = defaultdict(list)
        for trend in candidates:
            for word in set(words[trend.topic]):
                by_word[word].append(trend)
        for candidate in fresh:
            # Once the nav is full, later candidates can still rename a slot.
            full = len(listed) >= limit
            chosen = _longer_name(candidate, by_word, words) or candidate
            if any(t.topic == chosen.topic for t in listed):
                continue
            # Told mostly in stories a listed topic is the subject of: a facet
            # of the same news ("Selena Gomez" in the Justin Bieber story).
            own = coverage[chosen.topic]
            in_listed = sum(
                n for story, n in own.by_story.items() if story in listed_core
            )
            if in_listed >= FACET_SHARE * sum(own.by_story.values()):
                # The story's slot is taken; it shows the name most reports use
                # ("Miley Cyrus", not "Bangerz", the tour one report named).
                slot = _slot_of(own, listed, coverage)
                if (
                    slot is not None
                    and chosen.count >= NAME_SWAP_RATIO * listed[slot].count
                    and not (set(words[chosen.topic]) & listed_words & single_words)
                ):
                    # Its own numbers: the tooltip tells its own reason.
                    listed[slot] = chosen
                    listed_core.update(own.core)
                    listed_articles.update(own.articles)
                    listed_words.update(words[chosen.topic])
                continue
            if full:
                continue
            if set(words[chosen.topic]) & listed_words & single_words:
                continue
            # Named mostly in the articles of topics already listed ("Fannie" in
            # "Fannie, Freddie shares sink"): the same news.
            own_articles = coverage[candidate.topic].articles | own.articles
            if len(own_articles & listed_articles) >= FACET_SHARE * len(own_articles):
                continue
            # The longer name stands in the fragment's place, with its own
            # numbers (its tooltip tells its own reason).
            listed.append(chosen)
            listed_core.update(own.core)
            listed_articles.update(own_articles)
            listed_words.update(words[chosen.topic])
    return listed


def _longer_name(
    fragment: Trend,
    by_word: dict[str, list[Trend]],
    words: dict[str, tuple[str, ...]],
) -> Trend | None:
    """The most reported candidate whose name contains ``fragment``'s words in
    order and has FRAGMENT_SHARE of its reports or more ("Berth 9" for "Berth");
    ``by_word`` lists the candidates by each word of their names."""
    short = words[fragment.topic]
    best = None
    for other in by_word[short[0]]:
        long = words[other.topic]
        if len(long) <= len(short) or not _contains(long, short):
            continue
        if other.count < FRAGMENT_SHARE * fragment.count:
            continue
        if best is None or other.count > best.count:
            best = other
    return best


def _slot_of(
    own: _Coverage, listed: list[Trend], coverage: dict[str, _Coverage]
) -> int | None:
    """The listed topic whose stories hold most of ``own``'s reports."""
    best, best_share = None, 0
    for n, trend in enumerate(listed):
        share = sum(
            count
            for story, count in own.by_story.items()
            if story in coverage[trend.topic].core
        )
        if share > best_share:
            best, best_share = n, share
    return best


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


@dataclass(frozen=True)
class _Coverage:
    """A topic's coverage in a window: the stories it is a subject of, the
    articles naming it, and how many of those each story holds."""

    core: set[int]
    articles: set[int]
    by_story: dict[int, int]


def _covered_topics(
    mentions: Iterable[Mention],
    *,
    at: datetime,
    window: timedelta,
    data_start: datetime | None,
    min_publishers: int = MIN_PUBLISHERS,
) -> tuple[list[Trend], dict[str, _Coverage]]:
    """Every topic the window covers enough (``min_publishers``,
    :data:`MIN_REPORTS` reports), in no particular order (the callers rank them);
    and each topic's stories and articles in the window. Only a topic
    :data:`MIN_PUBLISHERS` cover can be rising."""
    horizon = BASELINE_WINDOWS + 1
    # (topic, window index, publisher) -> stories: repeats collapse here.
    stories_by: dict[tuple[str, int, str], set[int]] = {}
    first_seen: dict[str, datetime] = {}
    stories_now: dict[str, set[int]] = defaultdict(set)
    articles_now: dict[str, set[int]] = defaultdict(set)
    # story -> its articles in the window, and (topic, story) -> those naming topic
    story_articles: dict[int, set[int]] = defaultdict(set)
    topic_story_articles: dict[tuple[str, int], set[int]] = defaultdict(set)
    oldest = at
    for mention in mentions:
        published = mention.published
        index = _window_index(at, published, window)
        if index < 0:
            continue
        if published < oldest:
            oldest = published
        if index >= horizon:
            continue
        topic = mention.topic
        key = (topic, index, mention.publisher)
        stories = stories_by.get(key)
        if stories is None:
            stories_by[key] = {mention.story}
        else:
            stories.add(mention.story)
        if index == 0:
            article = mention.article or -mention.story
            stories_now[topic].add(mention.story)
            articles_now[topic].add(article)
            story_articles[mention.story].add(article)
            topic_story_articles[topic, mention.story].add(article)
            seen = first_seen.get(topic)
            if seen is None or published < seen:
                first_seen[topic] = published
    # Windows of history the data actually covers (partial windows count as covered).
    if data_start is not None:
        oldest = min(data_start, at)
    history = min(BASELINE_WINDOWS, _window_index(at, oldest, window))

    reports: dict[tuple[str, int], int] = defaultdict(int)
    publishers_now: Counter[str] = Counter()
    for (topic, index, _publisher), stories in stories_by.items():
        reports[topic, index] += min(len(stories), REPORTS_PER_PUBLISHER_CAP)
        if index == 0:
            publishers_now[topic] += 1

    trends: list[Trend] = []
    for topic, publishers in publishers_now.items():
        count = reports[topic, 0]
        if publishers < min_publishers or count < min(MIN_REPORTS, min_publishers):
            continue
        past = [reports.get((topic, i), 0) for i in range(1, 1 + history)]
        mean = sum(past) / len(past) if past else 0.0
        variance = (
            sum((x - mean) ** 2 for x in past) / (len(past) - 1)
            if len(past) > 1
            else 0.0
        )
        # Poisson-like noise at least: a topic at 5 per window wobbles by about 2.
        spread = math.sqrt(max(variance, mean) + VARIANCE_FLOOR)
        score = (count - mean) / spread
        trends.append(
            Trend(
                topic=topic,
                score=round(score, 3),
                count=count,
                baseline=round(mean, 3),
                publishers=publishers,
                stories=len(stories_now[topic]),
                first_seen=first_seen[topic],
                window=window,
                rising=score >= MIN_SCORE and count >= MIN_REPORTS,
            )
        )

    def core(topic: str) -> set[int]:
        """The stories the topic is a subject of: named in CORE_SHARE of their
        articles in the window (a passing mention in a story is not enough)."""
        return {
            story
            for story in stories_now[topic]
            if len(topic_story_articles[topic, story])
            >= CORE_SHARE * len(story_articles[story])
        }

    return trends, {
        t.topic: _Coverage(
            core=core(t.topic),
            articles=articles_now[t.topic],
            by_story={
                story: len(topic_story_articles[t.topic, story])
                for story in stories_now[t.topic]
            },
        )
        for t in trends
    }


def coverage_series(
    mentions: Iterable[Mention],
    *,
    topic: str,
    at: datetime,
    buckets: int,
    bucket: timedelta,
) -> list[int]:
    """Distinct stories mentioning ``topic`` per bucket, oldest first, ending at ``at``.

    The last value is the bucket (at - bucket, at]; mentions after ``at`` or before the
    first bucket are ignored.
    """
    if bucket <= timedelta(0):
        raise ValueError(f"The bucket length must be positive, got {bucket}.")
    stories: list[set[int]] = [set() for _ in range(buckets)]
    for mention in mentions:
        if mention.topic != topic:
            continue
        index = _window_index(at, mention.published, bucket)
        if 0 <= index < buckets:
            stories[buckets - 1 - index].add(mention.story)
    return [len(s) for s in stories]


# Inner margin of the sparkline so the stroke is not clipped at the edges.
SPARKLINE_PADDING = 2


def sparkline_svg(
    values: list[int], *, width: int = 120, height: int = 24, title: str
) -> str:
    """A small inline SVG line of ``values`` (no JavaScript, no external resources).

    Accessible: ``role="img"`` with a ``<title>`` (``title`` is escaped) that screen
    readers announce. The line uses ``currentColor`` so it follows the text colour.
    All zeros draw a flat line along the bottom; an empty list draws only the title.
    """
    if width <= 2 * SPARKLINE_PADDING or height <= 2 * SPARKLINE_PADDING:
        raise ValueError(
            f"A sparkline needs more than {2 * SPARKLINE_PADDING}px each way; "
            f"got {width}x{height}."
        )
    label = escape(title, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
        'class="sparkline">',
        f"<title>{label}</title>",
    ]
    if values:
        inner_w = width - 2 * SPARKLINE_PADDING
        inner_h = height - 2 * SPARKLINE_PADDING
        top = max(max(values), 1)
        ys = [
            round(SPARKLINE_PADDING + inner_h * (1 - max(value, 0) / top), 2)
            for value in values
        ]
        points: list[tuple[float, float]]
        if len(values) == 1:
            # One value: a flat line across, not a dot.
            points = [(SPARKLINE_PADDING, ys[0]), (width - SPARKLINE_PADDING, ys[0])]
        else:
            step = inner_w / (len(values) - 1)
            points = [
                (round(SPARKLINE_PADDING + i * step, 2), y) for i, y in enumerate(ys)
            ]
        coords = " ".join(f"{x},{y}" for x, y in points)
        last_x, last_y = points[-1]
        parts.append(
            f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" '
            f'stroke-linejoin="round" points="{coords}"/>'
        )
        parts.append(f'<circle cx="{last_x}" cy="{last_y}" r="2" fill="currentColor"/>')
    parts.append("</svg>")
    return "".join(parts)

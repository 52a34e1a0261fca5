"""An article's date, chosen among every witness, with the reason kept.

Witnesses ("candidates") come from the page (JSON-LD ``datePublished`` and
``dateModified``, ``article:published_time`` and other meta tags, ``<time>`` and
date lines in the byline, with the date line just above the headline and a
labelled date a little further below it, a date the page labels as its own
anywhere outside its furniture ("Published …", "Last updated …" under the
article or at the foot of the page), a day the page says the piece was
"originally published" on, the date in the URL, htmldate's reading
of the page), and, when the article came from a feed, from the feed entry
(``published``, ``updated``), the page's HTTP ``Last-Modified`` and the moment we
first saw the entry.

The rule (:func:`choose_dates`):

1. Placeholders and impossible values are never candidates: before
   :data:`EARLIEST_PLAUSIBLE` (``0001-01-01`` and ``1970-01-01`` are what CMSs emit
   for "no date"), after tomorrow, or beyond what Python or a database can hold.
   Parsing never raises: an unreadable value is no candidate.
2. Published beats modified: a "modified" or "updated" date is used as the
   publication date only when nothing says when the piece was published, and then
   the earliest such bound (every modified date, Last-Modified and first-seen time
   is at or after the publication).
3. On the page, the first published candidate in :data:`PAGE_PRIORITY` order; a
   date without a time takes the time of another page witness of the same day. A
   date in the byline that is the page's declared modification day, while the
   declared publication is days away, is the update shown, not the publication;
   htmldate's guess on the declared modification day is that modification.
   A declared publication that is the declared modification to the second is
   the last save stamped in both fields: a date written around the headline
   more than :data:`AGREEMENT` earlier goes before it.
   Witnesses that only guess or only record a save must be seen by the reader:
   htmldate's guess, and a modification date declared in metadata when it stands
   in for a missing publication, count only when the page writes that day in its
   text (see :func:`choose_dates`'s ``shown``).
4. The feed's ``published`` and the page's date agree when within
   :data:`AGREEMENT` (time zones and date-only values put honest dates a day
   apart): the page's value is kept when it has a time of day, else the feed's.
5. When they disagree, each is backed by the independent published witnesses
   within :data:`AGREEMENT` of it (the URL's date, the date written in the
   byline, declared metadata when the page's choice was not; see :func:`_family`);
   the better backed wins, and on a tie the feed's. The feed entry is written when the
   piece goes out; the page's metadata is where stale templates, "updated" dates
   passed off as published and placeholders were seen (issue #22). Both values stay
   among the candidates stored with the article.
6. ``updated`` is the latest modified date (page or feed) at least
   :data:`UPDATE_MIN` after the chosen publication (on a later day, when the
   publication is a day without a time: "December 7, 2025" and an update at
   13:33 that day may be one save); HTTP ``Last-Modified`` is a
   server's file time, not an editor's update, and never shown as one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from cupure.text.dates import EARLIEST_DATE, plausible_date, to_utc

# One rule for every date from outside, feeds' and pages' alike (cupure.text.dates):
# before 1990 is a placeholder ("0001-01-01", "1970-01-01": epoch zero) or a typo;
# after tomorrow (UTC) is a typo or an event date, not a publication (a day of slack
# keeps honest time zones east of UTC); beyond what UTC holds is no date at all.
EARLIEST_PLAUSIBLE = EARLIEST_DATE
# Two honest witnesses of one publication may differ by a time zone and a
# date-only value (midnight UTC vs the evening before in New York), or a
# feed updated a day after the page went out.
AGREEMENT = timedelta(days=2)
# A modified date this close to publication is the same save, not an update.
UPDATE_MIN = timedelta(hours=1)
# A declared instant and the day a page writes may fall a day apart (the metadata
# in UTC, the written date in the publisher's time zone).
SHOWN_SLACK = timedelta(days=1)


class Kind:
    """What a candidate says about the article."""

    PUBLISHED = "published"
    MODIFIED = "modified"
    SEEN = "seen"  # when we found it: an upper bound, nothing more


# Page witnesses of publication, most trusted first (the source names below). A
# day the page says the piece was "originally published" on is that, whatever the
# byline's re-dated line says; the date written under the headline is what
# readers see, and so is a date the page labels "Published" (near the headline
# or further down); declared metadata goes
# stale more often (WCXB dev, even ids: 0.800 with JSON-LD first, 0.815 with the
# written byline date first).
PAGE_PRIORITY = (
    "page:originally",
    "byline:text",
    "byline:labelled",
    "page:labelled",
    "jsonld:datePublished",
    "meta:article:published_time",
    "meta",
    "time:datePublished",
    "byline",
    "url",
    "jsonld:dateCreated",
    "htmldate",
)


@dataclass(frozen=True)
class DateCandidate:
    """One witness: where it was read, what it says, and its value.

    ``has_time`` is False for date-only values (stored as midnight UTC).
    """

    source: str
    value: datetime
    kind: str = Kind.PUBLISHED
    has_time: bool = True

    def to_json(self) -> dict[str, str]:
        """``{"source", "kind", "value"}`` with the value in ISO 8601."""
        return {
            "source": self.source,
            "kind": self.kind,
            "value": self.value.isoformat(),
        }


@dataclass(frozen=True)
class DateChoice:
    """The chosen dates and why."""

    published: datetime | None
    published_source: str
    updated: datetime | None
    updated_source: str
    reason: str
    candidates: tuple[DateCandidate, ...]  # every plausible witness, kept


def plausible(value: datetime, now: datetime) -> bool:
    """True for a date that can be a publication date seen at ``now``."""
    return plausible_date(value, now=now)[0] is not None


_TZ_COLONLESS = re.compile(r"(\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s*([+-]\d{2})(\d{2})$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
# Seconds since the epoch (some CMSs put these in meta tags); 9 or 10 digits are
# 1973-2286, in milliseconds 12 or 13 digits.
_EPOCH = re.compile(r"\d{9,10}|\d{12,13}")


def parse_datetime(value: str | None) -> tuple[datetime, bool] | None:
    """Parse an ISO 8601 date or date-time, an RFC 2822 date (HTTP headers, RSS) or
    epoch seconds; naive values are taken as UTC.

    Returns ``(value, has_time)``, or None when unreadable. Never raises, whatever
    the year ("0000-00-00", "99999-01-01").
    """
    text = " ".join((value or "").split())
    if not text or len(text) > 100:
        return None
    try:
        return _parse(text)
    except (ValueError, OverflowError, OSError, TypeError, IndexError):
        return None


def _parse(text: str) -> tuple[datetime, bool] | None:
    has_time = bool(_HAS_TIME.search(text))
    if _EPOCH.fullmatch(text):
        seconds = int(text) / (1000 if len(text) > 10 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC), True
    iso = _TZ_COLONLESS.sub(r"\1\2:\3", text)
    iso = iso[:-1] + "+00:00" if iso.endswith(("Z", "z")) else iso
    try:
        parsed = datetime.fromisoformat(iso.replace(" ", "T", 1) if " " in iso else iso)
    except ValueError:
        parsed = None
    if parsed is None and not text[:4].isdigit():
        try:
            parsed = parsedate_to_datetime(text)
        except (ValueError, TypeError, IndexError):
            parsed = None
    if parsed is None:
        match = _ISO_DATE.match(text)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
        parsed = datetime(year, month, day)
        has_time = False
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    # A date UTC cannot hold (year 9999 with a negative offset) is no date: it
    # raised later, in every comparison and save (issue #16).
    if to_utc(parsed) is None:
        return None
    return parsed, has_time


def candidate(
    source: str, raw: Any, kind: str = Kind.PUBLISHED
) -> DateCandidate | None:
    """A candidate from a raw value (string, datetime or date); None if unreadable."""
    if isinstance(raw, datetime):
        value = raw if raw.tzinfo else raw.replace(tzinfo=UTC)
        return DateCandidate(source, value, kind, True)
    if isinstance(raw, date):
        return DateCandidate(
            source, datetime(raw.year, raw.month, raw.day, tzinfo=UTC), kind, False
        )
    if not isinstance(raw, str):
        return None
    parsed = parse_datetime(raw)
    if parsed is None:
        return None
    return DateCandidate(source, parsed[0], kind, parsed[1])


def _rank(source: str) -> int:
    for index, prefix in enumerate(PAGE_PRIORITY):
        if source == prefix or source.startswith(prefix + ":"):
            return index
    return len(PAGE_PRIORITY)


def _is_page(source: str) -> bool:
    return not source.startswith(("feed:", "http:", "first-seen"))


def _family(source: str) -> str:
    """Witnesses that copy one another count once: a CMS writes its JSON-LD, meta
    tags and itemprops from one field, and htmldate reads those same tags."""
    head = source.split(":", 1)[0]
    return "declared" if head in ("jsonld", "meta", "time", "htmldate") else head


def _near(a: datetime, b: datetime) -> bool:
    return abs(a - b) <= AGREEMENT


def choose_dates(
    candidates: Iterable[DateCandidate | None],
    *,
    now: datetime | None = None,
    shown: Collection[date] | None = None,
) -> DateChoice:
    """Choose the publication and update dates by the module's rule.

    ``shown`` is every day the page writes in its visible text, or None when that
    is unknown (then no witness is held to it). htmldate's guess and a declared
    modification standing in for the publication must be among them: a CMS stamps
    ``article:modified_time`` on every page it saves, evergreen guides and service
    pages included, and htmldate guesses from any date-like string in the markup;
    a page that writes neither day tells its reader no date at all.
    """
    now = now or datetime.now(UTC)
    kept: list[DateCandidate] = []
    for found in candidates:
        if found is not None and plausible(found.value, now) and found not in kept:
            kept.append(found)
    published = [c for c in kept if c.kind == Kind.PUBLISHED]
    page = sorted(
        (c for c in published if _is_page(c.source)), key=lambda c: _rank(c.source)
    )
    page = [
        c
        for c in _without_save_stamps(_without_shown_updates(page, kept), kept)
        if c.source != "htmldate" or _is_shown(c, shown)
    ]
    feed = next((c for c in published if c.source == "feed:published"), None)
    chosen: DateCandidate | None
    if page and not page[0].has_time:
        # A written date ("October 5, 2026") takes its time from a declared
        # value of the same day.
        timed = [
            c for c in page if c.has_time and c.value.date() == page[0].value.date()
        ]
        page = timed[:1] + page
    if page and feed:
        chosen, reason = _settle(page[0], feed, published)
    elif page:
        chosen, reason = page[0], "the page's own date"
    elif feed:
        chosen, reason = feed, "the feed entry's date"
    else:
        bounds = [
            c
            for c in kept
            if c.kind != Kind.PUBLISHED
            and (_is_shown(c, shown) or not _declared_by_page(c.source))
        ]
        chosen = min(bounds, key=lambda c: c.value, default=None)
        reason = (
            "no published date: the earliest modified or first-seen time"
            if chosen
            else "no date"
        )
    updated: DateCandidate | None = None
    if chosen is not None:
        # A day without a time ("December 7, 2025") is midnight only by
        # convention: an update on that same day may be the same save.
        gap = UPDATE_MIN if chosen.has_time else timedelta(days=1)
        later = [
            c
            for c in kept
            if c.kind == Kind.MODIFIED
            and not c.source.startswith("http:")
            and c.value - chosen.value >= gap
        ]
        updated = max(later, key=lambda c: c.value, default=None)
    return DateChoice(
        published=chosen.value if chosen else None,
        published_source=chosen.source if chosen else "",
        updated=updated.value if updated else None,
        updated_source=updated.source if updated else "",
        reason=reason,
        candidates=tuple(kept),
    )


def _declared_by_page(source: str) -> bool:
    """A page witness other than a date written around the headline: its metadata
    (JSON-LD, meta, itemprop), its URL, htmldate's reading of the page; as against
    the byline's dates and witnesses from outside the page."""
    return _is_page(source) and not source.startswith("byline")


def _is_shown(candidate: DateCandidate, shown: Collection[date] | None) -> bool:
    """True when the page writes the candidate's day (within :data:`SHOWN_SLACK`),
    or when what the page shows is unknown."""
    if shown is None:
        return True
    day = candidate.value.date()
    slack = SHOWN_SLACK.days
    return any(day + timedelta(days=step) in shown for step in range(-slack, slack + 1))


def _without_shown_updates(
    page: list[DateCandidate], kept: list[DateCandidate]
) -> list[DateCandidate]:
    """Drop byline dates that are the page's declared modification, not its
    publication: many templates print the last update under the headline ("12th
    February 2025") while the metadata says the piece went out years before."""
    modified_days = {
        c.value.date() for c in kept if c.kind == Kind.MODIFIED and _is_page(c.source)
    }
    declared = [c for c in page if not c.source.startswith("byline")]

    def shows_update(candidate: DateCandidate) -> bool:
        if candidate.value.date() not in modified_days:
            return False
        if candidate.source == "htmldate":
            # htmldate's guess on the declared modification day found that date:
            # it is no witness of the publication (a feed's date then decides).
            return True
        return candidate.source.startswith("byline") and any(
            not _near(d.value, candidate.value) for d in declared
        )

    return [c for c in page if not shows_update(c)]


def _without_save_stamps(
    page: list[DateCandidate], kept: list[DateCandidate]
) -> list[DateCandidate]:
    """Put last the declared publications that are the declared modification to
    the second, when the byline writes an earlier day: such a value is the time
    of the last save, stamped in both fields, and the written date is when the
    piece went out (a page's publication is never after its own dates). One
    stamp may carry its zone in one field and none in the other ("14:20:08" and
    "14:20:08-04:00"): the clock reading is compared as well as the instant."""
    saves = [
        c.value for c in kept if c.kind == Kind.MODIFIED and _declared_by_page(c.source)
    ]
    written = [c for c in page if c.source.startswith("byline")]

    def is_stamp(candidate: DateCandidate) -> bool:
        value = candidate.value
        return (
            _declared_by_page(candidate.source)
            and any(_same_stamp(value, save) for save in saves)
            and any(value - w.value > AGREEMENT for w in written)
        )

    return [c for c in page if not is_stamp(c)] + [c for c in page if is_stamp(c)]


def _same_stamp(a: datetime, b: datetime) -> bool:
    return a == b or a.replace(tzinfo=None) == b.replace(tzinfo=None)


def _settle(
    page: DateCandidate, feed: DateCandidate, published: list[DateCandidate]
) -> tuple[DateCandidate, str]:
    if _near(page.value, feed.value):
        if page.has_time or not feed.has_time:
            return page, "the page's date (the feed agrees)"
        return feed, "the feed's time (the page gives only the day)"

    def backing(chosen: DateCandidate) -> int:
        return len(
            {
                _family(other.source)
                for other in published
                if _family(other.source) not in (_family(page.source), "feed")
                and _near(other.value, chosen.value)
            }
        )

    if backing(page) > backing(feed):
        return page, "the page's date (feed disagrees; other witnesses back the page)"
    return feed, "the feed's date (the page disagrees and nothing else backs it)"

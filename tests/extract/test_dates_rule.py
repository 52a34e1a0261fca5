"""cupure.extract.dates, rule by rule at its edges (mutation testing, issue #23):
each reason text, each source family, the agreement window's limit, the parsers'
spellings. Expectations are whole DateChoice values, so a changed reason, source
or bound fails here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cupure.extract.dates import (
    DateCandidate,
    Kind,
    candidate,
    choose_dates,
    parse_datetime,
)
from tests.timezones import local_time_zone

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
DAY = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def at(source: str, value: datetime, kind: str = Kind.PUBLISHED, has_time=True):
    return DateCandidate(source, value, kind, has_time)


def chosen(*candidates: DateCandidate) -> tuple[str, str]:
    choice = choose_dates(candidates, now=NOW)
    return choice.published_source, choice.reason


# --- parsing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1780000000", (datetime.fromtimestamp(1780000000, UTC), True)),
        ("1780000000000", (datetime.fromtimestamp(1780000000, UTC), True)),
        ("178000000000", (datetime.fromtimestamp(178000000, UTC), True)),
        ("2026-06-01T09:30:00Z", (DAY, True)),
        ("2026-06-01T09:30:00z", (DAY, True)),
        ("2026-06-01 09:30:00", (DAY, True)),
        ("2026-06-01T11:30:00+0200", (DAY, True)),
        ("Mon, 01 Jun 2026 09:30:00 GMT", (DAY, True)),
        # Readable as a day only: midnight UTC, and no time of day claimed.
        ("2026-06-01 in print", (datetime(2026, 6, 1, tzinfo=UTC), False)),
        ("2026-6-1T09:30 local", (datetime(2026, 6, 1, tzinfo=UTC), False)),
    ],
)
def test_spellings_parse_to_one_instant(text: str, expected: tuple) -> None:
    assert parse_datetime(text) == expected


def test_length_limit_is_one_hundred_characters() -> None:
    padded = "2026-06-01" + " " * 0 + "x" * 90
    assert len(padded) == 100
    assert parse_datetime(padded) == (datetime(2026, 6, 1, tzinfo=UTC), False)
    assert parse_datetime(padded + "x") is None
    assert parse_datetime(None) is None
    assert parse_datetime("   ") is None


def test_candidates_from_python_values() -> None:
    """A naive datetime is UTC, an aware one keeps its zone, a date has no time."""
    paris = datetime(2026, 6, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert candidate("meta", paris) == DateCandidate(
        "meta", paris, Kind.PUBLISHED, True
    )
    naive = candidate("meta", datetime(2026, 6, 1, 9, 30))
    assert naive is not None and naive.value.tzinfo is UTC and naive.has_time is True
    day = candidate("url", date(2026, 6, 1), Kind.MODIFIED)
    assert day == DateCandidate(
        "url", datetime(2026, 6, 1, tzinfo=UTC), Kind.MODIFIED, False
    )
    assert day.has_time is False
    assert candidate("meta", 20260601) is None


def test_candidate_json() -> None:
    assert at("meta", DAY, Kind.MODIFIED).to_json() == {
        "source": "meta",
        "kind": "modified",
        "value": "2026-06-01T09:30:00+00:00",
    }


# --- the page's own order --------------------------------------------------------


def test_page_priority_decides_whatever_the_order_given() -> None:
    other = DAY - timedelta(days=5)
    assert chosen(at("url", other), at("meta:og:published", DAY)) == (
        "meta:og:published",
        "the page's own date",
    )
    assert chosen(at("htmldate", other), at("jsonld:datePublished", DAY))[0] == (
        "jsonld:datePublished"
    )


def test_a_date_only_witness_takes_the_time_of_one_of_the_same_day() -> None:
    written = at("byline:text", datetime(2026, 6, 1, tzinfo=UTC), has_time=False)
    timed = at("jsonld:datePublished", DAY)
    other_day = at("meta", DAY - timedelta(days=3))
    choice = choose_dates([other_day, written, timed], now=NOW)
    assert (choice.published, choice.published_source) == (DAY, "jsonld:datePublished")
    # A timed first witness keeps its own time, even with a timed one the same day.
    first = at("byline:text", DAY + timedelta(hours=2))
    assert chosen(first, timed)[0] == "byline:text"


def test_only_the_feed_or_nothing() -> None:
    assert chosen(at("feed:published", DAY)) == (
        "feed:published",
        "the feed entry's date",
    )
    assert chosen(at("http:last-modified", DAY, Kind.MODIFIED)) == (
        "http:last-modified",
        "no published date: the earliest modified or first-seen time",
    )
    choice = choose_dates([], now=NOW)
    assert (choice.published, choice.published_source, choice.reason) == (
        None,
        "",
        "no date",
    )
    assert (choice.updated, choice.updated_source) == (None, "")


# --- page and feed -----------------------------------------------------------------


def test_page_and_feed_exactly_the_agreement_apart_agree() -> None:
    page = at("jsonld:datePublished", DAY)
    assert chosen(page, at("feed:published", DAY + timedelta(days=2))) == (
        "jsonld:datePublished",
        "the page's date (the feed agrees)",
    )
    assert chosen(page, at("feed:published", DAY + timedelta(days=2, seconds=1))) == (
        "feed:published",
        "the feed's date (the page disagrees and nothing else backs it)",
    )


def test_agreeing_date_only_page_takes_the_feeds_time() -> None:
    page = at("url", datetime(2026, 6, 1, tzinfo=UTC), has_time=False)
    assert chosen(page, at("feed:published", DAY)) == (
        "feed:published",
        "the feed's time (the page gives only the day)",
    )


@pytest.mark.parametrize(
    ("page_source", "same_family"),
    [
        ("jsonld:datePublished", "htmldate"),
        ("meta:article:published_time", "time:datePublished"),
    ],
)
def test_declared_metadata_does_not_back_itself(
    page_source: str, same_family: str
) -> None:
    """JSON-LD, meta tags, <time> and htmldate copy one CMS field: one of them agreeing
    with another is no second witness, so the feed keeps its date."""
    page = at(page_source, DAY - timedelta(days=30))
    copy = at(same_family, DAY - timedelta(days=30))
    feed = at("feed:published", DAY)
    assert chosen(page, copy, feed) == (
        "feed:published",
        "the feed's date (the page disagrees and nothing else backs it)",
    )
    # An independent witness (the URL's date) does back the page.
    url = at("url", DAY - timedelta(days=30), has_time=False)
    assert chosen(page, copy, feed, url) == (
        page_source,
        "the page's date (feed disagrees; other witnesses back the page)",
    )


# --- updates shown as dates ---------------------------------------------------------


def test_a_byline_date_on_the_modification_day_is_the_update() -> None:
    old = DAY - timedelta(days=400)
    byline = at("byline:text", DAY)
    declared = at("jsonld:datePublished", old)
    modified = at("jsonld:dateModified", DAY + timedelta(hours=3), Kind.MODIFIED)
    choice = choose_dates([byline, declared, modified], now=NOW)
    assert (choice.published_source, choice.updated_source) == (
        "jsonld:datePublished",
        "jsonld:dateModified",
    )
    # Without a declared modification that day, the written date stands.
    assert chosen(byline, declared)[0] == "byline:text"
    # A server's Last-Modified on that day is no editor's update.
    http = at("http:last-modified", DAY + timedelta(hours=3), Kind.MODIFIED)
    assert chosen(byline, declared, http)[0] == "byline:text"


def test_another_byline_date_is_not_declared_metadata() -> None:
    """Two dates in the byline: the one on the modification day is not judged
    against the other written one, only against declared metadata (none here)."""
    byline = at("byline:text", DAY)
    older = at("byline", DAY - timedelta(days=400))
    modified = at("jsonld:dateModified", DAY + timedelta(hours=3), Kind.MODIFIED)
    assert chosen(byline, older, modified)[0] == "byline:text"


def test_a_publication_stamped_with_the_last_save_gives_way_to_an_earlier_byline():
    """A declared publication equal to the declared modification, to the second,
    is the last save stamped in both fields: the date written above the headline,
    days earlier, is the publication. A later written date, or a declared
    publication that is not the save, keeps the declared value first."""
    save = DAY
    stamped = at("meta:dc.date", save)
    modified = at("meta:og:updated_time", save, Kind.MODIFIED)
    above = at("byline:above", save - timedelta(days=120), has_time=False)
    assert chosen(stamped, modified, above)[0] == "byline:above"
    # The same clock reading, with a zone in one field and none in the other.
    zoned = at(
        "meta:og:updated_time",
        save.replace(tzinfo=timezone(-timedelta(hours=4))),
        Kind.MODIFIED,
    )
    assert chosen(stamped, zoned, above)[0] == "byline:above"
    later = at("byline:above", save + timedelta(days=1), has_time=False)
    assert chosen(stamped, modified, later)[0] == "meta:dc.date"
    other_save = at("meta:og:updated_time", save + timedelta(hours=2), Kind.MODIFIED)
    assert chosen(stamped, other_save, above)[0] == "meta:dc.date"


# --- updated -------------------------------------------------------------------------


def test_updated_is_the_latest_modification_at_least_an_hour_later() -> None:
    page = at("jsonld:datePublished", DAY)
    hour = at("jsonld:dateModified", DAY + timedelta(hours=1), Kind.MODIFIED)
    later = at("meta:article:modified_time", DAY + timedelta(hours=5), Kind.MODIFIED)
    feed = at("feed:updated", DAY + timedelta(hours=3), Kind.MODIFIED)
    http = at("http:last-modified", DAY + timedelta(hours=8), Kind.MODIFIED)
    choice = choose_dates([page, hour, later, feed, http], now=NOW)
    assert (choice.updated, choice.updated_source) == (
        DAY + timedelta(hours=5),
        "meta:article:modified_time",
    )
    exactly = choose_dates([page, hour], now=NOW)
    assert (exactly.updated, exactly.updated_source) == (hour.value, hour.source)
    early = at("jsonld:dateModified", DAY + timedelta(minutes=59), Kind.MODIFIED)
    assert choose_dates([page, early], now=NOW).updated is None


def test_now_defaults_to_the_clock_in_utc() -> None:
    """Without ``now``, the clock is read in UTC: on a machine five hours behind UTC,
    a date 22 hours ahead of the real time is still within tomorrow's slack."""
    with local_time_zone():
        ahead = datetime.now(UTC) + timedelta(hours=22)
        choice = choose_dates([at("jsonld:datePublished", ahead)])
    assert choice.published_source == "jsonld:datePublished"
    assert choice.published == ahead
    assert choose_dates([at("jsonld:datePublished", DAY)]).published == DAY

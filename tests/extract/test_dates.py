"""Tests for cupure.extract.dates: which witness gives an article its date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from lxml import html as lxml_html

from cupure.extract import extract_article, metadata
from cupure.extract.dates import Kind, candidate, choose_dates, parse_datetime
from cupure.extract.metadata import shown_dates, shown_text, text_dates

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01",
        "1970-01-01T00:00:00+00:00",
        "0",
        "1989-12-31",
        "2026-06-12T00:00:00Z",  # after tomorrow
        "9999-12-31T23:59:59-14:00",
        "0000-00-00 00:00:00",
        "99999-01-01",
        "9999999999999",
        "2026-02-30",
        "not a date",
        "",
    ],
)
def test_placeholders_and_impossible_dates_are_never_chosen(raw: str) -> None:
    """A placeholder or impossible value is no candidate, and never raises."""
    choice = choose_dates([candidate("jsonld:datePublished", raw)], now=NOW)
    assert choice.published is None
    assert choice.published_source == ""


def test_parse_handles_the_formats_pages_and_servers_write() -> None:
    """ISO with a colonless offset, RFC 2822 (HTTP), epoch seconds, date only."""
    assert parse_datetime("2026-03-05T10:00:00+0200") == (
        datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
        True,
    )
    assert parse_datetime("Thu, 05 Mar 2026 10:00:00 GMT") == (
        datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
        True,
    )
    assert parse_datetime("1772704800") == (
        datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
        True,
    )
    assert parse_datetime("2026-03-05") == (datetime(2026, 3, 5, tzinfo=UTC), False)


def test_published_beats_modified() -> None:
    """A later modified date never replaces the publication; it is the update."""
    choice = choose_dates(
        [
            candidate("jsonld:dateModified", "2026-06-01T09:00:00Z", Kind.MODIFIED),
            candidate("jsonld:datePublished", "2018-04-02T09:00:00Z"),
        ],
        now=NOW,
    )
    assert choice.published == datetime(2018, 4, 2, 9, 0, tzinfo=UTC)
    assert choice.updated == datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    assert choice.updated_source == "jsonld:dateModified"


def test_without_a_published_date_the_earliest_bound_is_used() -> None:
    """Modified dates, Last-Modified and first-seen are bounds: the earliest wins."""
    choice = choose_dates(
        [
            candidate("first-seen", NOW, Kind.SEEN),
            candidate(
                "http:last-modified", "Mon, 08 Jun 2026 10:00:00 GMT", "modified"
            ),
            candidate("feed:updated", "2026-06-09T10:00:00Z", Kind.MODIFIED),
        ],
        now=NOW,
    )
    assert choice.published_source == "http:last-modified"
    assert choice.updated_source == "feed:updated"


def test_feed_and_page_disagreeing_the_better_backed_wins() -> None:
    """Years apart: the feed wins alone; the page wins when its URL backs it."""
    feed = candidate("feed:published", NOW - timedelta(hours=2))
    page = candidate("jsonld:datePublished", "2019-01-10T08:00:00Z")
    alone = choose_dates([page, feed], now=NOW)
    assert alone.published_source == "feed:published"
    assert {c.source for c in alone.candidates} == {
        "feed:published",
        "jsonld:datePublished",
    }
    backed = choose_dates([page, feed, candidate("url", "2019-01-10")], now=NOW)
    assert backed.published_source == "jsonld:datePublished"


def test_feed_and_page_agreeing_keep_the_more_precise() -> None:
    """Within two days they agree: a timed page date stays, a bare day takes the
    feed's time."""
    feed = candidate("feed:published", "2026-06-09T21:30:00Z")
    timed = candidate("jsonld:datePublished", "2026-06-10T00:30:00+02:00")
    assert choose_dates([timed, feed], now=NOW).published_source == (
        "jsonld:datePublished"
    )
    day = candidate("url", "2026-06-10")
    assert choose_dates([day, feed], now=NOW).published_source == "feed:published"


def test_byline_dates_and_update_labels() -> None:
    """Written dates are read; an "Updated" label makes a date a modification."""
    found = text_dates("By Ann Lee · March 5, 2024 · Updated 7 April 2024 · 31/12/2023")
    assert [(d.isoformat(), kind) for d, kind in found] == [
        ("2024-03-05", "published"),
        ("2024-04-07", "modified"),
        ("2023-12-31", "published"),
    ]
    assert text_dates("03/04/2024") == []  # March 4 or 3 April: not guessed


def test_written_date_run_into_the_next_label() -> None:
    """Two <time>s with no space between ("April 26, 2024Updated on: October 28,
    2024"): the first date is still read, as the publication."""
    found = text_dates("April 26, 2024Updated on: October 28, 2024")
    assert [(d.isoformat(), kind) for d, kind in found] == [
        ("2024-04-26", "published"),
        ("2024-10-28", "modified"),
    ]
    html = (
        "<html><body><article><h1>Keeping aphids off the beans</h1>"
        "<p>By Ann Lee</p><p><time class='entry-time'>April 26, 2024</time>"
        "<time class='entry-modified-time'>Updated on: October 28, 2024</time></p>"
        "<p>" + "Aphids arrive with the first warm week of spring. " * 12 + "</p>"
        "</article></body></html>"
    )
    article = extract_article(html.encode())
    assert article.published is not None
    assert article.published.date() == date(2024, 4, 26)
    assert article.updated is not None
    assert article.updated.date() == date(2024, 10, 28)


def test_originally_published_beats_the_re_dated_byline() -> None:
    """A page that re-dates its byline on each revision and says at its foot when
    the piece first went out is dated by that day; a book "first published" in
    a review dates nothing."""
    body = "<p>" + "Tiny houses trade floor space for a smaller mortgage. " * 12
    html = (
        "<html><body><article><h1>Living in a tiny home</h1>"
        "<p>Chris Carroll</p><p>30 Sep 2022, 11:07am</p>" + body + "</p>"
        "<p>The novel was first published on 3 March 2004.</p>"
        "<p>This article was originally published on 26 Sep 2019 at 4:12pm "
        "but has been regularly updated.</p></article></body></html>"
    )
    article = extract_article(html.encode())
    assert article.published is not None
    assert article.published.date() == date(2019, 9, 26)
    assert article.sources["published"] == "page:originally"
    reviewed = html.replace("originally published on 26 Sep 2019", "updated")
    article = extract_article(reviewed.encode())
    assert article.published is not None
    assert article.published.date() == date(2022, 9, 30)


def test_page_with_only_a_written_byline_date() -> None:
    """The date under the headline is the page's date, with its source named."""
    html = (
        "<html><head><title>Ferry</title></head><body><article><h1>Ferry fares "
        "frozen for the winter</h1><p class='meta'>By Ann Lee, January 31, 2024</p>"
        + "<p>The ferry company froze its fares for the winter season. " * 5
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://harbour.example/ferry")
    assert article.published == datetime(2024, 1, 31, tzinfo=UTC)
    assert article.sources["published"] == "byline:text"


def test_a_byline_showing_the_update_day_is_not_the_publication() -> None:
    """Templates print the last update under the headline ("12th February 2025")
    while the metadata says the piece went out years before: published wins. When
    the declared publication is the same day, the byline's date is kept."""
    shown_update = [
        candidate("byline:text", "2025-02-12"),
        candidate("meta:article:published_time", "2020-03-10T15:30:00Z"),
        candidate("meta:article:modified_time", "2025-02-12T08:00:00Z", Kind.MODIFIED),
    ]
    choice = choose_dates(shown_update, now=NOW)
    assert choice.published == datetime(2020, 3, 10, 15, 30, tzinfo=UTC)
    assert choice.published_source == "meta:article:published_time"
    assert choice.updated == datetime(2025, 2, 12, 8, 0, tzinfo=UTC)
    same_day = [
        candidate("byline:text", "2020-03-10"),
        candidate("meta:article:published_time", "2020-03-11T01:30:00Z"),
        candidate("meta:article:modified_time", "2020-03-10T08:00:00Z", Kind.MODIFIED),
    ]
    assert choose_dates(same_day, now=NOW).published_source == "byline:text"


def test_htmldate_finding_the_modification_day_is_no_publication_witness() -> None:
    """htmldate's guess that is the page's declared modification day is that
    modification: the article says it knows no publication date, and a feed
    entry's date stands."""
    page = [
        candidate("htmldate", "2026-02-07"),
        candidate("meta:article:modified_time", "2026-02-07T10:00:00Z", Kind.MODIFIED),
    ]
    alone = choose_dates(page, now=NOW)
    assert alone.published_source == "meta:article:modified_time"
    assert alone.reason.startswith("no published date")
    fed = choose_dates([*page, candidate("feed:published", "2022-07-13T08:00:00Z")])
    assert fed.published == datetime(2022, 7, 13, 8, 0, tzinfo=UTC)
    assert fed.published_source == "feed:published"


def test_a_declared_modification_stands_in_only_when_the_page_shows_it() -> None:
    """With no publication date, a modification declared in metadata is used only
    when the page writes that day (a day apart for time zones): CMSs stamp every
    saved page, evergreen ones included. Unknown shown days hold nothing back, and
    the feed's and our own bounds are no page metadata."""
    modified = candidate(
        "meta:article:modified_time", "2025-01-31T23:50:00Z", Kind.MODIFIED
    )
    unshown = choose_dates([modified], now=NOW, shown=set())
    assert (unshown.published, unshown.reason) == (None, "no date")
    assert unshown.candidates == (modified,)
    for day in (date(2025, 1, 31), date(2025, 2, 1)):
        shown = choose_dates([modified], now=NOW, shown={day})
        assert shown.published_source == "meta:article:modified_time"
    assert choose_dates([modified], now=NOW, shown={date(2025, 2, 2)}).published is None
    assert choose_dates([modified], now=NOW).published_source == (
        "meta:article:modified_time"
    )
    seen = candidate("first-seen", NOW, Kind.SEEN)
    assert choose_dates([modified, seen], now=NOW, shown=set()).published_source == (
        "first-seen"
    )
    written = candidate("byline:text", "2025-01-31", Kind.MODIFIED)
    assert choose_dates([written], now=NOW, shown=set()).published_source == (
        "byline:text"
    )


def test_htmldate_guess_counts_only_when_the_page_shows_that_day() -> None:
    """htmldate guesses from any date-like string in the markup; a guess no reader
    can see is no date, while a declared publication needs no such check."""
    guess = candidate("htmldate", "2025-11-27")
    assert choose_dates([guess], now=NOW, shown={date(2024, 1, 5)}).published is None
    assert choose_dates([guess], now=NOW, shown={date(2025, 11, 27)}).published == (
        datetime(2025, 11, 27, tzinfo=UTC)
    )
    declared = candidate("jsonld:datePublished", "2025-11-27T10:00:00Z")
    assert choose_dates([declared], now=NOW, shown=set()).published_source == (
        "jsonld:datePublished"
    )


def _evergreen_page(extra: str) -> str:
    return (
        "<html><head><title>Care guide</title>"
        "<meta property='article:modified_time' content='2025-03-04T10:00:00Z'>"
        "<script>var build = {saved: '2025-03-04'};</script>"
        "</head><body><article><h1>How to care for a fern</h1>"
        + "<p>Water the fern when the soil feels dry to the touch. " * 5
        + f"</p></article><footer>{extra}</footer></body></html>"
    )


def test_an_evergreen_page_stamped_only_with_its_save_has_no_date() -> None:
    """A page that declares only when it was saved, and writes no date, gets none
    (a date in a script is not shown); written anywhere on the page, the day is
    what the reader is told."""
    bare = extract_article(_evergreen_page("Contact us"), url="https://ferns.example/")
    assert bare.published is None
    assert [c.source for c in bare.date_candidates][:1] == [
        "meta:article:modified_time"
    ]
    shown = extract_article(
        _evergreen_page("Reviewed<span>March 4, 2025</span>"),
        url="https://ferns.example/",
    )
    assert shown.published == datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def test_shown_dates_read_visible_text_only() -> None:
    """Every day written in the body's text, across element boundaries; scripts,
    styles and templates are not shown."""
    tree = lxml_html.fromstring(
        "<html><head><title>2024-01-01</title></head><body><p>Get started"
        "<b>December 17, 2025</b></p><script>'2024-02-02'</script>"
        "<style>/* 2024-03-03 */</style><template>2024-04-04</template>"
        "<p>Posted 2025.11.03</p><p>21\n          February\n     2025</p>"
        "<p>Ticket 115 March 2024, 2023 entries</p></body></html>"
    )
    assert shown_dates(shown_text(tree)) == {
        date(2025, 12, 17),
        date(2025, 11, 3),
        date(2025, 2, 21),
    }


def test_shown_dates_read_a_few_words_around_each_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A data blob shown as text (one "word" of 18,000 characters holding 2,000
    numbers) is read a few dozen characters around each number, not whole for each:
    on a page where a script's JSON had become text that took 12 s. The dates
    written beside it are still read."""
    scanned = []
    pattern = metadata.TEXT_DATE

    class Counting:
        def finditer(self, text: str, start: int, stop: int) -> Iterator[re.Match]:
            scanned.append(min(stop, len(text)) - start)
            return pattern.finditer(text, start, stop)

    blob = '{"ids":[' + ",".join(f'"a{n:04d}b"' for n in range(1000, 3000)) + "]}"
    text = f"Posted May 5, 2020 {blob} Updated 2021-03-04T10:00 {blob[:99]}"
    monkeypatch.setattr(metadata, "TEXT_DATE", Counting())
    assert shown_dates(text) == {date(2020, 5, 5), date(2021, 3, 4)}
    assert len(scanned) > 2000
    assert max(scanned) < 200


def test_year_first_dates_with_dots_or_slashes() -> None:
    """ "2025.12.17" and "2025/12/17" are year, month, day; a mixed separator or an
    impossible month is no date."""
    assert [d for d, _ in text_dates("Published: 2025.12.17 | 2024/03/05")] == [
        date(2025, 12, 17),
        date(2024, 3, 5),
    ]
    assert text_dates("2024.03/05 and 2025.13.01") == []


@pytest.mark.parametrize(
    "name", ["published-date", "w-published-date", "cdc:first_published", "Pub-Date"]
)
def test_published_date_meta_is_read(name: str) -> None:
    """``<meta name="published-date">`` declares the publication, under any of the
    names CMSs give that field."""
    html = (
        "<html><head><title>Ferry</title>"
        f"<meta name='{name}' content='2021-02-16'>"
        "<meta name='last_updated_at' content='2021-03-01T10:00:00Z'>"
        "<meta name='auto-publish' content='2021-01-01'>"
        "</head><body><article><h1>Ferry fares frozen for the winter</h1>"
        + "<p>The ferry company froze its fares for the winter season. " * 5
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://harbour.example/ferry")
    assert article.published == datetime(2021, 2, 16, tzinfo=UTC)
    assert article.sources["published"] == f"meta:{name.lower()}"
    assert article.updated == datetime(2021, 3, 1, 10, 0, tzinfo=UTC)
    assert article.sources["updated"] == "meta:last_updated_at"


def _dated_above(above: str) -> str:
    return (
        "<html><head><title>Rust on microcontrollers</title></head><body>"
        f"<nav>{above}</nav><article><p class='kicker'>Back to blog</p>"
        "<p class='date'>Dec 12, 2025</p><p>4 min read</p>"
        "<h1>Why Rust suits microcontrollers</h1>"
        + "<p>Memory safety without a garbage collector fits small devices. " * 5
        + "</p></article></body></html>"
    )


def test_the_date_line_just_above_the_headline_is_read() -> None:
    """Templates that print the date above the headline ("Back to blog · Dec 12,
    2025 · 4 min read") give the page's date; it is a written date, ranked with
    the byline's."""
    article = extract_article(_dated_above("Home"), url="https://chips.example/rust")
    assert article.published == datetime(2025, 12, 12, tzinfo=UTC)
    assert article.sources["published"] == "byline:above"


def test_a_time_element_just_above_the_headline_gives_its_instant() -> None:
    """A <time> set above the headline whose text is ambiguous ("10/12/2023" may
    be 10 December) gives the instant its datetime attribute declares, time of
    day included."""
    line = (
        "<small class='post-date'><time datetime='2023-10-12T19:38:01.0870000Z'>"
        "10/12/2023 7:38:01 PM</time></small>"
    )
    html = _dated_above("Home").replace("<p class='date'>Dec 12, 2025</p>", line)
    article = extract_article(html, url="https://chips.example/rust")
    assert article.published == datetime(2023, 10, 12, 19, 38, 1, 87000, tzinfo=UTC)
    assert article.sources["published"] == "byline:above"


def test_dates_further_above_the_headline_are_not_the_page_date() -> None:
    """Only the text just above the headline counts: a menu or a list of other
    posts higher up has dates of its own."""
    menu = "Latest: Ferry fares frozen, March 3, 2024 " + "Home Blog Shop About " * 5
    html = _dated_above(menu).replace("<p class='date'>Dec 12, 2025</p>", "")
    article = extract_article(html, url="https://chips.example/rust")
    assert "byline:above" not in {c.source for c in article.date_candidates}


def test_a_date_inside_the_headline_is_not_a_date_line() -> None:
    """The headline's own words ("Harbour report, <span>March 3, 2024</span>") are
    neither above nor below it."""
    html = (
        _dated_above("Home")
        .replace("<p class='date'>Dec 12, 2025</p>", "")
        .replace(
            "<h1>Why Rust suits microcontrollers</h1>",
            "<h1>Why Rust suits microcontrollers, <span>March 3, 2024</span></h1>",
        )
    )
    article = extract_article(html, url="https://chips.example/rust")
    assert not {"byline:above", "byline:text"} & {
        c.source for c in article.date_candidates
    }


def _captioned(dateline: str) -> str:
    caption = "A ferry leaves the harbour at dawn, seen from the old pier. " * 6
    return (
        "<html><head><title>Ferry fares</title></head><body><article>"
        f"<h1>Ferry fares frozen for the winter</h1><figure><figcaption>{caption}"
        f"</figcaption></figure><p>By Ann Lee</p><p>{dateline}</p>"
        + "<p>The ferry company froze its fares for the winter season. " * 5
        + "</p></article></body></html>"
    )


def test_a_labelled_date_below_a_long_caption_is_read() -> None:
    """A captioned lead image can push the byline past the byline window: a date
    labelled "Published" is still read there; an unlabelled one (a date quoted in
    the text) is not."""
    labelled = extract_article(
        _captioned("Published March 9, 2025"), url="https://harbour.example/fares"
    )
    assert labelled.published == datetime(2025, 3, 9, tzinfo=UTC)
    assert labelled.sources["published"] == "byline:labelled"
    bare = extract_article(_captioned("March 9, 2025"), url="https://harbour.example/f")
    assert bare.published is None


def test_a_labelled_date_across_the_byline_window_edge_is_read() -> None:
    """A labelled date that the byline window's edge cuts in two is read whole."""
    standfirst = "<p>" + "a" * 280 + "</p>"
    html = (
        "<html><head><title>Ferry fares</title></head><body><article>"
        f"<h1>Ferry fares frozen for the winter</h1>{standfirst}"
        "<p>Published March 9, 2025</p>"
        + "<p>The ferry company froze its fares for the winter season. " * 5
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://harbour.example/fares")
    assert article.published == datetime(2025, 3, 9, tzinfo=UTC)
    assert article.sources["published"] == "byline:labelled"


def test_a_date_in_a_sentence_under_the_headline_is_no_dateline() -> None:
    """A date inside the article's first sentence is an event it reports; the same
    date on a short line of its own is the page's date."""
    sentence = (
        "My story begins on Friday, November 7, 2025, when the ferry company "
        "announced that its winter timetable would drop the early boat and that "
        "the fares would stay as they were until the spring."
    )
    prose = extract_article(
        _captioned("").replace("<p>By Ann Lee</p>", f"<p>{sentence}</p>"),
        url="https://harbour.example/fares",
    )
    assert "byline:text" not in {c.source for c in prose.date_candidates}
    assert text_dates("By Ann Lee\nNovember 7, 2025", datelines_only=True) == [
        (date(2025, 11, 7), "published")
    ]
    assert text_dates(sentence, datelines_only=True) == []


def test_a_labelled_date_in_a_sentence_further_down_is_not_read() -> None:
    """ "was published on March 9, 2025" in the article's prose is not a label."""
    sentence = (
        "The report that the harbour authority published on March 9, 2025 said the "
        "terminal had cost less than planned and would open before the summer, "
        "when the first of the new boats arrives from the yard."
    )
    article = extract_article(_captioned(sentence), url="https://harbour.example/fares")
    assert "byline:labelled" not in {c.source for c in article.date_candidates}


def test_a_meta_date_written_as_text_is_read() -> None:
    """A meta tag filled with the date as the page prints it ("Published" meta,
    "April 9, 2024") declares the day; a meta value that is a sentence holding
    several dates declares none."""
    html = (
        "<html><head><title>Allotments</title>"
        "<meta name='published' content='April 9, 2024'>"
        "<meta name='date' content='Open from March 1, 2024 to May 2, 2024'>"
        "</head><body><article><h1>Allotment waiting list shortens</h1>"
        + "<p>The town's allotment waiting list is shorter than last spring. " * 5
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://town.example/allotments")
    assert article.published == datetime(2024, 4, 9, tzinfo=UTC)
    assert article.sources["published"] == "meta:published"
    assert "meta:date" not in {c.source for c in article.date_candidates}


def test_the_metadata_settles_day_and_month_of_a_numeric_byline_date() -> None:
    """ "04.07.2024" is the 4th of July or April 7th: the day the page's metadata
    declares tells which order the page writes; without it, dots read day first
    and slashes whose order cannot be told are no date."""
    line = "By Ann Lee\n04.07.2024"
    assert text_dates(line, declared={date(2024, 4, 7)}) == [
        (date(2024, 4, 7), "published")
    ]
    assert text_dates(line) == [(date(2024, 7, 4), "published")]
    assert text_dates("By Ann Lee\n04/07/2024") == []
    assert text_dates("04/07/2024", declared={date(2024, 4, 7)}) == [
        (date(2024, 4, 7), "published")
    ]
    # One order only names a day: the declared day does not matter.
    assert text_dates("04.13.2024", declared={date(2024, 1, 1)}) == [
        (date(2024, 4, 13), "published")
    ]


def test_a_numeric_byline_date_is_read_in_the_order_the_metadata_gives() -> None:
    """The whole page: a byline "09.10.2024" under JSON-LD saying September 10
    dates the article September 10."""
    html = (
        "<html><head><title>Kitchens</title><script type='application/ld+json'>"
        '{"@type": "Article", "datePublished": "2024-09-10T16:07:00Z"}'
        "</script></head><body><article><h1>Planning a kitchen refit</h1>"
        "<p>By Fernhill Builders</p><p>09.10.2024</p>"
        + "<p>A kitchen refit takes longer than most owners expect. " * 5
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://builders.example/kitchens")
    assert article.published == datetime(2024, 9, 10, 16, 7, tzinfo=UTC)
    written = [c for c in article.date_candidates if c.source == "byline:text"]
    assert [c.value.date() for c in written] == [date(2024, 9, 10)]


def test_a_headline_paragraph_inside_h1_still_anchors_the_byline() -> None:
    """libxml2 closes an <h1> at a <p> start tag: "<h1><p>Headline</p></h1>"
    parses as an empty <h1> before the headline's <p>. That paragraph is the
    headline, and the date line after it is read."""
    html = (
        "<html><head><title>Testing queues</title></head><body><main>"
        "<h1 class='display'><p>Testing message queues without a broker</p></h1>"
        "<p>Odile Marchetti</p><p>Mar 3, 2025</p>"
        + "<p>Queues are easier to test once the broker is an interface. " * 5
        + "</p></main></body></html>"
    )
    article = extract_article(html, url="https://queues.example/testing")
    assert article.published == datetime(2025, 3, 3, tzinfo=UTC)
    assert article.sources["published"] == "byline:text"


def test_a_date_written_with_its_time_of_day() -> None:
    """ "2022-11-23T08:10+02:00" written on the page is the 23rd of November; a
    longer run of digits is no date."""
    assert [d for d, _ in text_dates("Ann Lee 2022-11-23T08:10+02:00")] == [
        date(2022, 11, 23)
    ]
    assert text_dates("ref 2022-11-230") == []


def _with_foot(foot: str, head: str = "") -> str:
    """An article whose text runs past the byline window, then ``foot``."""
    return (
        f"<html><head><title>Ferry fares</title>{head}</head><body><article>"
        "<h1>Ferry fares frozen for the winter</h1><p>By Ann Lee</p>"
        + "<p>The ferry company froze its fares for the winter season. " * 30
        + f"</p>{foot}</article></body></html>"
    )


def test_a_date_labelled_published_below_the_article_is_read() -> None:
    """ "Published August 13, 2025" after the article's text, beyond the byline's
    reach, is the date the reader is told: it goes before a JSON-LD publication
    that is only the last save, stamped in both fields."""
    stamp = "2025-11-29T12:28:31-05:00"
    html = _with_foot(
        '<div class="article-body__published">Published '
        '<time datetime="2025-08-13">August 13, 2025</time></div>',
        head='<script type="application/ld+json">{"@type": "Article", '
        f'"datePublished": "{stamp}", "dateModified": "{stamp}"}}</script>',
    )
    article = extract_article(html, url="https://harbour.example/fares")
    assert article.published == datetime(2025, 8, 13, tzinfo=UTC)
    assert article.sources["published"] == "page:labelled"
    assert article.updated == datetime.fromisoformat(stamp)


@pytest.mark.parametrize(
    ("foot", "expected"),
    [
        ("<p>Posted on May 2, 2025</p>", date(2025, 5, 2)),
        ("<div><b>Date published:</b> <span>2 May 2025</span></div>", date(2025, 5, 2)),
        # A comment's date, and a list of other posts, are not the article's.
        ('<div class="comments"><p>Posted on May 2, 2025 by Bo</p></div>', None),
        ("<ul><li>Posted on May 2, 2025</li><li>Posted on May 9, 2025</li></ul>", None),
        # A date that is not labelled, or a label inside a sentence.
        ("<p>May 2, 2025</p>", None),
        ("<p>It was published years ago and reprinted on May 2, 2025.</p>", None),
    ],
)
def test_which_labelled_dates_below_the_article_are_the_page_s(
    foot: str, expected: date | None
) -> None:
    article = extract_article(_with_foot(foot), url="https://harbour.example/fares")
    labelled = [c for c in article.date_candidates if c.source == "page:labelled"]
    assert [c.value.date() for c in labelled] == ([expected] if expected else [])


def test_a_last_updated_line_is_the_update_and_stands_in_only_alone() -> None:
    """ "Last updated: November 13, 2025" at the foot of a page is its update
    beside a labelled publication; alone it is the only date the page gives."""
    update = "<p>Last updated: November 13, 2025</p>"
    both = extract_article(
        _with_foot("<p>Published March 1, 2025</p>" + update),
        url="https://harbour.example/fares",
    )
    assert both.published == datetime(2025, 3, 1, tzinfo=UTC)
    assert both.updated == datetime(2025, 11, 13, tzinfo=UTC)
    alone = extract_article(_with_foot(update), url="https://harbour.example/fares")
    assert alone.published == datetime(2025, 11, 13, tzinfo=UTC)
    assert alone.sources["published"] == "page:labelled"
    assert alone.updated is None


@pytest.mark.parametrize(
    "foot",
    [
        '<p class="date">December 3, 2025. <i>Updated: December 7, 2025</i></p>',
        "<p>3 December 2025 · <span>Last updated 7 December 2025</span></p>",
    ],
)
def test_the_date_an_update_label_follows_is_the_publication(foot: str) -> None:
    """An interview's foot, "December 3, 2025. Updated: December 7, 2025": the
    first day is the publication the label's day updates."""
    article = extract_article(_with_foot(foot), url="https://harbour.example/fares")
    assert article.published == datetime(2025, 12, 3, tzinfo=UTC)
    assert article.sources["published"] == "page:labelled"
    assert article.updated == datetime(2025, 12, 7, tzinfo=UTC)


def test_an_update_on_the_day_written_without_a_time_is_not_shown() -> None:
    """A day written without its time and a modification later that same day may
    be one save: no update is shown; a modification the next day is one."""
    written = candidate("byline:text", date(2025, 12, 7))
    same_day = candidate("jsonld:dateModified", "2025-12-07T13:33:15Z", Kind.MODIFIED)
    assert choose_dates([written, same_day], now=NOW).updated is None
    next_day = candidate("jsonld:dateModified", "2025-12-08T09:00:00Z", Kind.MODIFIED)
    assert choose_dates([written, next_day], now=NOW).updated == datetime(
        2025, 12, 8, 9, 0, tzinfo=UTC
    )

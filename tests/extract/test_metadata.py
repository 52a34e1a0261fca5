"""Tests for cupure.extract.metadata: titles, dates, languages, JSON-LD."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from lxml import html as lxml_html

from cupure.extract import extract_article
from cupure.extract.metadata import (
    _lost_to_question_marks,
    choose_title,
    clean_byline,
    jsonld_author,
    language_code,
    parse_datetime,
    read_metadata,
)


def _page(head: str, body: str = ""):
    tree = lxml_html.document_fromstring(
        f"<html><head>{head}</head><body>{body}</body></html>"
    )
    return read_metadata(tree, "https://news.example/a")


@pytest.mark.parametrize(
    ("head", "body", "site", "expected"),
    [
        (
            "<title>Rain returns | Daily Bugle</title>",
            "",
            "Daily Bugle",
            "Rain returns",
        ),
        (
            "<title>Daily Bugle - Rain returns</title>",
            "",
            "Daily Bugle",
            "Rain returns",
        ),
        ("<title>Rain returns – DailyBugle.com</title>", "", "", "Rain returns"),
        (
            "<title>Q&amp;A: the mayor - on buses | Bugle</title>",
            "",
            "Bugle",
            "Q&A: the mayor - on buses",
        ),
        (
            "<title>Rain returns | Bugle</title>",
            "<h1>Rain returns</h1>",
            "Bugle",
            "Rain returns",
        ),
        (
            '<meta property="og:title" content="Rain returns to the north">'
            "<title>Weather | Bugle</title>",
            "<h1>Menu</h1>",
            "Bugle",
            "Rain returns to the north",
        ),
        # An <h1> in capitals: the declared title that reads the same, in the
        # publisher's case; not one in capitals too, nor words in another order.
        (
            '<meta property="og:title" content="Best Drip Coffee Makers 2026">',
            "<h1>BEST DRIP COFFEE MAKERS IN 2026</h1>",
            "Bugle",
            "Best Drip Coffee Makers 2026",
        ),
        (
            "<title>Weekend Coding Agent | Bugle</title>",
            "<h1>WEEKEND CODING AGENT</h1>",
            "Bugle",
            "Weekend Coding Agent",
        ),
        (
            '<meta property="og:title" content="ACTUARIAL CONSULTING VS. INSURANCE">'
            "<title>Actuarial Consulting vs Insurance | Bugle</title>",
            "<h1>ACTUARIAL CONSULTING VS. INSURANCE</h1>",
            "Bugle",
            "ACTUARIAL CONSULTING VS. INSURANCE",
        ),
        (
            '<meta property="og:title" content="Marathon Beginner Plan">',
            "<h1>BEGINNER MARATHON PLAN</h1>",
            "Bugle",
            "BEGINNER MARATHON PLAN",
        ),
    ],
)
def test_choose_title(head: str, body: str, site: str, expected: str) -> None:
    """Site names around the headline go; an <h1> agreeing with the title wins."""
    host = "dailybugle.com"
    assert choose_title(_page(head, body), "", site, host) == expected


def test_a_subtitle_set_apart_by_style_is_a_word_apart() -> None:
    """The style sheet sets the <h1>'s subtitle on a line of its own; the words
    on either side stay apart ("Alternatives Top", not "AlternativesTop"), while a
    word split over elements stays whole."""
    page = _page(
        "",
        "<h1>The Best Ferry Routes<span class='block'>Top Crossings Tested</span>"
        "</h1><h1><span>Ferr</span>ies</h1>",
    )
    assert page.headings == [
        "The Best Ferry Routes Top Crossings Tested",
        "Ferries",
    ]


@pytest.mark.parametrize(
    ("head", "body", "extracted", "expected"),
    [
        # A blog's name in the <h1> agrees with trafilatura's title (read from that
        # same <h1>), not with what the page declares.
        (
            "<title>Progress report #39</title>",
            "<h1>Antoyo's Blog</h1>",
            "Antoyo's Blog",
            "Progress report #39",
        ),
        # A one-word <h1> that the title merely uses is not the headline...
        (
            '<meta property="og:title" content="How we found a flaw in Discord, '
            'Vercel and Cursor">',
            "<h1>Discord</h1>",
            "",
            "How we found a flaw in Discord, Vercel and Cursor",
        ),
        # ...but one that is the whole title is,
        ("<title>Cheese</title>", "<h1>Cheese</h1>", "", "Cheese"),
        # or opens it (a dictionary's headword).
        (
            "<title>CHEESE Definition &amp; Meaning | Wordbook</title>",
            "<h1>cheese</h1>",
            "",
            "cheese",
        ),
    ],
)
def test_the_h1_must_agree_with_a_declared_title(
    head: str, body: str, extracted: str, expected: str
) -> None:
    assert choose_title(_page(head, body), extracted, "", "blog.example") == expected


def test_a_site_name_guess_that_is_the_whole_title_leaves_the_title() -> None:
    """trafilatura reads the site's name from a JSON-LD WebPage "name", which
    Yoast sets to the page's title: that guess must not strip the headline away
    (such pages had no title at all)."""
    from cupure.extract import extract_article

    text = "The council met for six hours and agreed the budget at last. " * 6
    page = (
        "<html><head><title>Cheap fixes are the best!</title>"
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@graph": [{"@type": "WebPage", "name": "Cheap fixes are the best!"}]}'
        "</script></head><body>"
        f"<article><p>{text}</p><p>{text}</p></article></body></html>"
    )
    article = extract_article(page.encode())
    assert article.title == "Cheap fixes are the best!"
    assert article.site_name != article.title


def test_jsonld_authors_and_graph() -> None:
    """Authors in an @graph article object are joined with commas."""
    page = _page(
        '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"},'
        '{"@type": ["NewsArticle"], "author": [{"name": "A One"}, {"name": "B Two"}]}'
        "]}</script>"
    )
    assert jsonld_author(page) == "A One, B Two"


def _nested(key: str, depth: int, inner: str = "1") -> str:
    for _ in range(depth):
        inner = f'{{"{key}": {inner}}}'
    return inner


@pytest.mark.parametrize(
    "block",
    [
        # Past what Python's JSON reader can nest: unreadable, so skipped.
        _nested("a", 2000),
        # Readable, but nested past what a walk of it may recurse.
        '{"@type": "NewsArticle", "author": ' + "[" * 900 + '"x"' + "]" * 900 + "}",
        '{"@type": "NewsArticle", "headline": ' + "[" * 900 + '"x"' + "]" * 900 + "}",
        # An author given by reference whose @id is no string.
        '{"@type": "NewsArticle", "author": {"@id": ["#ann", "#lee"]}}',
    ],
)
def test_hostile_jsonld_is_passed_over(block: str) -> None:
    """A JSON-LD block nested thousands deep, or with a list for an @id, loses
    the page nothing: the written byline is still read (these raised
    RecursionError and TypeError out of the extractor)."""
    html = (
        "<html><head><title>Ferries cut winter sailings</title>"
        "<script type='application/ld+json'>"
        + block
        + "</script></head><body><article><h1>Ferries cut winter sailings</h1>"
        "<p>By Ann Lee</p><p>"
        + "The harbour ferries will run a winter timetable from Monday. " * 10
        + "</p></article></body></html>"
    )
    article = extract_article(html.encode())
    assert article.byline == "Ann Lee"
    assert article.title == "Ferries cut winter sailings"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "2026-10-05T08:15:00+02:00",
            datetime(2026, 10, 5, 8, 15, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2026-10-05T08:15:00Z", datetime(2026, 10, 5, 8, 15, tzinfo=UTC)),
        (
            "2026-10-05 08:15:00+0200",
            datetime(2026, 10, 5, 8, 15, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2026-10-05", datetime(2026, 10, 5, tzinfo=UTC)),
        ("2026-10-05T08:15:00.123+00:00junk", datetime(2026, 10, 5, tzinfo=UTC)),
        ("5 October 2026", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(raw: str | None, expected: datetime | None) -> None:
    """ISO dates parse to aware datetimes (naive means UTC); anything else is None."""
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("en-GB", "en"), ("sv_SE", "sv"), ("FR", "fr"), ("", ""), ("english", "")],
)
def test_language_code(raw: str, expected: str) -> None:
    """The primary subtag, lower case; anything that is not a code gives ""."""
    assert language_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Colin Marsh", "Colin Marsh"),
        ("By Ann Lee", "Ann Lee"),
        ("Supermove February 8", "Supermove"),
        ("ServiceTitan November", "ServiceTitan"),
        ("Jane May", "Jane May"),
        ("Ann Lee 12/03/2024", "Ann Lee"),
        ("Author: Bo Ek; Written By", "Bo Ek"),
        ("A One; B Two; A One", "A One, B Two"),
        ("undefined", ""),
        ("Webmaster", ""),
        ("Keith Barry Senior Autos Reporter", "Keith Barry"),
        ("Zackery Cuevas Writer, Hardware", "Zackery Cuevas"),
        ("This post was written by Dana Pad", "Dana Pad"),
        ("Silverback Strategies; October", "Silverback Strategies"),
        ("Ann Writer", "Ann Writer"),
        (None, ""),
    ],
)
def test_clean_byline(raw: str | None, expected: str) -> None:
    """Labels, glued dates, placeholders and repeats go; names join with ", "."""
    assert clean_byline(raw) == expected


def test_byline_hint_from_the_page() -> None:
    """A short rel="author" or itemprop="author" element is read as a byline hint;
    a long author box is not."""
    page = _page("", '<p>By <a rel="author" href="/s/ann">Ann Lee</a></p>')
    assert page.byline_hint == "Ann Lee"
    box = "<div itemprop='author'>" + "Ann Lee writes about ferries and ports. " * 3
    assert _page("", box + "</div>").byline_hint == ""


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # A headline that mentions the site's name is no site name: it agrees
        # with the JSON-LD headline and is the title.
        (
            '<meta property="og:title" content="Business classes worth taking">'
            '<script type="application/ld+json">{"@type": "Article", "headline": '
            '"Best Business Courses for Shop Owners Compared"}</script>',
            "<h1>Best Business Courses for Shop Owners Compared</h1>",
            "Best Business Courses for Shop Owners Compared",
        ),
        # A part that is mostly the site's name still is it.
        (
            "<title>Rain returns – Business.com</title>",
            "",
            "Rain returns",
        ),
    ],
)
def test_a_headline_mentioning_the_site_is_not_the_site(
    head: str, body: str, expected: str
) -> None:
    assert choose_title(_page(head, body), "", "Business", "business.com") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The site's name after a dash inside the <h1> goes, as in <title>.
        ("<h1>Rain returns to the north – BBC</h1>", "Rain returns to the north"),
        # A dash inside the headline itself stays.
        (
            "<h1>Rain returns to the north – and stays</h1>",
            "Rain returns to the north – and stays",
        ),
    ],
)
def test_site_suffix_inside_the_h1(body: str, expected: str) -> None:
    head = "<title>Rain returns to the north – BBC</title>"
    assert choose_title(_page(head, body), "", "BBC", "bbc.example") == expected


HEADLINE = "Rain returns to the north as the dry summer ends at last"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A theme printing the post's date line inside the <h1>.
        (
            f"<h1>{HEADLINE} Posted on May 9, 2023 by ann</h1>",
            HEADLINE,
        ),
        (f"<h1>{HEADLINE} March 5, 2024</h1>", HEADLINE),
        # Words after the declared title that are no date line stay: declared
        # titles are often the <h1> cut short.
        (f"<h1>{HEADLINE} after a dry week</h1>", f"{HEADLINE} after a dry week"),
        # A link aggregator's source tag and comment count after the headline.
        (f"<h1>{HEADLINE} (weather.example.org) 42</h1>", HEADLINE),
        (f"<h1>{HEADLINE} (weather.example.org)</h1>", HEADLINE),
        # Words in brackets are the headline's own.
        (f"<h1>{HEADLINE} (for now)</h1>", f"{HEADLINE} (for now)"),
    ],
)
def test_date_line_inside_the_h1(body: str, expected: str) -> None:
    head = f'<meta property="og:title" content="{HEADLINE}">'
    assert choose_title(_page(head, body), "", "", "bugle.example") == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # The site's address before the headline, with no separator.
        ("dailybugle.com Rain returns", "Rain returns"),
        # Another site's address there is part of the headline.
        ("example.org Rain returns", "example.org Rain returns"),
    ],
)
def test_site_address_before_the_headline(title: str, expected: str) -> None:
    head = f"<title>{title}</title>"
    assert choose_title(_page(head, ""), "", "", "dailybugle.com") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A headline-length <h1> reworded from the search title still shares
        # close to half its words with it: it is the headline readers see...
        (
            "<h1>The Best Quiet Harbour Towns to Visit on a Slow Weekend</h1>",
            "The Best Quiet Harbour Towns to Visit on a Slow Weekend",
        ),
        # ...but a short section name sharing a third of its words is not.
        ("<h1>Harbour Life Today</h1>", "Best Harbour Towns to Visit This Year"),
        # The first such <h1> is the article's; a later one heads a related story,
        # even when it shares a little more.
        (
            "<h1>The Best Quiet Harbour Towns to Visit on a Slow Weekend</h1>"
            "<h1>Next: the best harbour towns to visit this spring, in our weekend"
            " guide</h1>",
            "The Best Quiet Harbour Towns to Visit on a Slow Weekend",
        ),
    ],
)
def test_a_long_h1_reworded_from_the_declared_title(body: str, expected: str) -> None:
    """A long <h1> agreeing loosely with og:title is the headline (#22)."""
    head = (
        '<meta property="og:title" content="Best Harbour Towns to Visit This Year">'
        "<title>Best Harbour Towns to Visit This Year | Bugle</title>"
    )
    assert choose_title(_page(head, body), "", "Bugle", "bugle.example") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The <h1> lost the colon and "'s" to "?": the declared title kept them.
        (
            "<h1>Planning a Picnic? A Beginner? Guide</h1>",
            "Planning a Picnic: A Beginner's Guide",
        ),
        # A real question mark in the <h1> the declared title left out stays.
        (
            "<h1>Planning a Picnic: A Beginner's Guide?</h1>",
            "Planning a Picnic: A Beginner's Guide?",
        ),
    ],
)
def test_question_marks_in_a_mis_encoded_h1(body: str, expected: str) -> None:
    """An <h1> whose characters a template's charset turned into "?" gives way
    to the declared title it otherwise equals (#22)."""
    head = (
        '<meta property="og:title" content="Planning a Picnic: A Beginner&#39;s Guide">'
    )
    assert choose_title(_page(head, body), "", "", "bugle.example") == expected


def test_many_question_marks_are_not_lost_characters() -> None:
    """An <h1> with many "?" (a heading in another script lost whole, or a hostile
    page) is not read as a few lost characters: the test would backtrack
    exponentially in the "?" count (40 here would not end)."""
    assert _lost_to_question_marks("Beginner's Guide", "Beginner? Guide")
    assert not _lost_to_question_marks("a" * 80 + "y", "?" * 40 + "x")
    assert not _lost_to_question_marks("Planning a Picnic", "Planning a Picnic")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # The <title> puts the blog's name before the og:title: the logo <h1>
        # holding that name is no headline.
        (
            '<meta property="og:title" content="Rain returns to the north">'
            "<title>Harbour Weather Notes: Rain returns to the north</title>",
            "Rain returns to the north",
        ),
        # An og:title that is the site's name teaches nothing.
        (
            '<meta property="og:title" content="Bugle">'
            "<title>Harbour Weather Notes | Bugle</title>",
            "Harbour Weather Notes",
        ),
    ],
)
def test_the_title_names_the_site_beside_the_declared_title(
    head: str, expected: str
) -> None:
    """What the <title> adds to the og:title by a separator is the site's name,
    however the host spells it (#22)."""
    body = "<h1>Harbour Weather Notes</h1><h1>Small is the new large</h1>"
    assert choose_title(_page(head, body), "", "Bugle", "bugle.example") == expected


@pytest.mark.parametrize(
    ("og_title", "expected"),
    [
        # A sentence in og:title is the summary: the JSON-LD headline wins.
        (
            "Here are four ways to keep a harbour clean.",
            "Four Ways to Keep a Harbour Clean",
        ),
        # A title ending with an abbreviation is no sentence.
        ("The cleanest harbours in the U.S.", "The cleanest harbours in the U.S."),
    ],
)
def test_a_sentence_in_a_title_field_gives_way(og_title: str, expected: str) -> None:
    """Headlines do not end with a full stop; a declared title that does is the
    description pasted there (#22)."""
    head = (
        f'<meta property="og:title" content="{og_title}">'
        '<script type="application/ld+json">{"@type": "Article", '
        '"headline": "Four Ways to Keep a Harbour Clean"}</script>'
    )
    assert choose_title(_page(head, ""), "", "", "bugle.example") == expected


def test_a_sentence_in_a_title_field_is_no_witness_for_the_h1() -> None:
    """A summary in twitter:title shares a word with a section label <h1>; the
    label must not pass for the headline (#22)."""
    head = (
        '<meta property="og:title" content="Harbour Dues Rise for Winter">'
        '<meta name="twitter:title" content="Our harbour report covers the dues '
        'and the winter updates. Read the report.">'
    )
    body = "<h1>Harbour Report Updates</h1>"
    expected = "Harbour Dues Rise for Winter"
    assert choose_title(_page(head, body), "", "", "bugle.example") == expected


@pytest.mark.parametrize(
    ("og_title", "expected"),
    [
        # The tail names the host: it is the site's section.
        ("Harbour Cafe | Bugleshop Stories", "Harbour Cafe"),
        # A short head before another tail is a label: the title stays whole.
        ("Harbour Cafe | Winter Stories", "Harbour Cafe | Winter Stories"),
    ],
)
def test_a_pipe_tail_naming_the_host(og_title: str, expected: str) -> None:
    """A " | " tail holding the host's name is cut even after a short head
    (#22)."""
    head = f'<meta property="og:title" content="{og_title}">'
    assert choose_title(_page(head, ""), "", "", "apps.bugleshop.com") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The blog's name in <h1>, the post's title in an "entry-title" <h2>.
        (
            "<h1>Mira's Notebook</h1>"
            '<h2 class="entry-title">Why the old harbour crane still turns</h2>',
            "Why the old harbour crane still turns",
        ),
        # A post title that agrees with nothing declared (a related post) is not.
        (
            "<h1>Mira's Notebook</h1>"
            '<h2 class="post-title">Ten soups for a cold week</h2>',
            "The old harbour crane turns again",
        ),
    ],
)
def test_a_post_title_below_the_h1(body: str, expected: str) -> None:
    """Themes that keep <h1> for the blog's name print the headline in an
    <h2 class="entry-title"> (#22)."""
    head = '<meta property="og:title" content="The old harbour crane turns again">'
    assert choose_title(_page(head, body), "", "", "mira.example") == expected


def test_a_long_part_the_title_adds_is_no_site_name() -> None:
    """A long part the <title> adds to the og:title is the headline's subtitle:
    the <h1> keeps it (#22)."""
    headline = "Rain returns - what it means for the farms"
    head = f'<meta property="og:title" content="Rain returns"><title>{headline}</title>'
    body = f"<h1>{headline}</h1>"
    assert choose_title(_page(head, body), "", "Bugle", "bugle.example") == headline


def test_a_thousand_by_labels_in_one_container_read_it_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hostile page of "Written By" labels in one container: each label looks
    at its container's text only until that is too long for a byline, so the
    work grows with the labels, not with labels times the container (2,000
    labels read 7.5 million text pieces, four minutes, before)."""
    from cupure.extract import metadata

    labels = 2000
    body = "<article>" + "<p>Ann Lee</p><p>Written By</p>" * labels + "</article>"
    tree = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
    calls = 0
    original = metadata.clean_text

    def counted(text: str | None) -> str:
        nonlocal calls
        calls += 1
        return original(text)

    monkeypatch.setattr(metadata, "clean_text", counted)
    page = metadata.read_metadata(tree, "https://news.example/a")
    assert page.by_lines == ()
    assert calls < 200 * labels


def test_the_headline_in_capitals_is_not_repeated_in_the_body() -> None:
    html = (
        '<html><head><meta property="og:title" content="Ferry Fares Frozen for Winter">'
        "</head><body><article><h1>FERRY FARES FROZEN FOR THE WINTER</h1>"
        + "<p>The ferry company froze its fares for the winter season. " * 5
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://harbour.example/fares")
    assert article.title == "Ferry Fares Frozen for Winter"
    assert not any("FERRY" in paragraph for paragraph in article.paragraphs)

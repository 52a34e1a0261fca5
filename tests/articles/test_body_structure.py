"""The body as the publisher set it: subheadings, lists, tables, quotations and code
are found on the page, stored with the paragraphs and shown as such on the article
page (not as so many paragraphs)."""

from __future__ import annotations

from dataclasses import replace

import feedparser
import pytest
from lxml import html as lxml_html

from cupure.articles.services import article_store
from cupure.extract import extract_article
from cupure.extract.body import (
    HEADER_ROW,
    LIST_ITEM,
    NUMBERED_ITEM,
    PARAGRAPH,
    PREFORMATTED,
    QUOTE,
    TABLE_ROW,
)
from cupure.sources.services import publisher_get_or_create

pytestmark = pytest.mark.django_db

URL = "https://post.example/news/ferry-guide"
PAGE = """<!doctype html><html lang="en"><head>
<title>The harbour ferry, a guide for the new season - Harbour Post</title></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>The harbour ferry, a guide for the new season</h1>
<h2>Before you travel</h2>
<p>The harbour ferry runs again from Monday after a month in dry dock, with new
seats on the upper deck and a wider gangway for bicycles and prams.</p>
<ul><li>Buy a ticket at the kiosk or on board.</li>
<li>Bicycles travel free before nine in the morning.</li></ul>
<h3>Timetable</h3>
<table><tr><th>Stop</th><th>First boat</th></tr>
<tr><td>North Quay</td><td>06:10</td></tr>
<tr><td>Fish Market</td><td>06:25</td></tr></table>
<h2>What the operator says</h2>
<blockquote><p>We are proud to have the boat back a week before the holidays, and
we thank our passengers for their patience.</p></blockquote>
<ol><li>Board at the front gangway.</li><li>Leave by the rear gangway.</li></ol>
<p>Departure boards show the next boats in real time:</p>
<pre>NEXT  North Quay  06:10
    then Fish Market 06:25
	then Old Quay 06:40</pre>
<p>The operator expects the first weeks to be busy and asks passengers to allow
extra time at the quays during the morning rush.</p>
</article></body></html>"""


def _store(policy: str = "full", page: str = PAGE, url: str = URL):
    publisher = publisher_get_or_create(
        name="Harbour Post", homepage_url="https://post.example/", display_policy=policy
    )
    extracted = extract_article(page, url=url)
    return extracted, article_store(publisher=publisher, url=url, extracted=extracted)


def _body(client, article) -> lxml_html.HtmlElement:
    html = client.get(article.get_absolute_url()).content.decode()
    return lxml_html.fromstring(html).find_class("article-body")[0]


def test_each_block_is_stored_as_what_the_page_makes_it() -> None:
    extracted, article = _store()
    article.refresh_from_db()
    kinds = dict(zip(article.paragraphs, article.block_kinds, strict=True))
    assert kinds == {
        "Before you travel": "h2",
        extracted.paragraphs[1]: PARAGRAPH,
        "Buy a ticket at the kiosk or on board.": LIST_ITEM,
        "Bicycles travel free before nine in the morning.": LIST_ITEM,
        "Timetable": "h3",
        "Stop | First boat": HEADER_ROW,
        "North Quay | 06:10": TABLE_ROW,
        "Fish Market | 06:25": TABLE_ROW,
        "What the operator says": "h2",
        extracted.paragraphs[9]: QUOTE,
        "1. Board at the front gangway.": NUMBERED_ITEM,
        "2. Leave by the rear gangway.": NUMBERED_ITEM,
        "Departure boards show the next boats in real time:": PARAGRAPH,
        "NEXT North Quay 06:10": PREFORMATTED,
        "    then Fish Market 06:25": PREFORMATTED,
        "    then Old Quay 06:40": PREFORMATTED,
        extracted.paragraphs[-1]: PARAGRAPH,
    }
    # The summary is the first paragraph, not the heading above it.
    assert article.summary == extracted.paragraphs[1]


def test_the_article_page_shows_headings_lists_tables_quotes_and_code(client) -> None:
    _, article = _store()
    body = _body(client, article)
    shown = [
        (element.tag, " ".join(element.text_content().split()))
        for element in body
        if element.tag != "div"
    ] + [("table", " ".join(t.text_content().split())) for t in body.iter("table")]
    assert [tag for tag, _ in shown] == [
        "h2",
        "p",
        "ul",
        "h3",
        "h2",
        "blockquote",
        "ol",
        "p",
        "pre",
        "p",
        "table",
    ]
    rows = [[(cell.tag, cell.text) for cell in tr] for tr in body.iter("tr")]
    assert rows == [
        [("th", "Stop"), ("th", "First boat")],
        [("td", "North Quay"), ("td", "06:10")],
        [("td", "Fish Market"), ("td", "06:25")],
    ]
    assert {th.get("scope") for th in body.iter("th")} == {"col"}
    assert [li.text for li in body.iter("li")] == [
        "Buy a ticket at the kiosk or on board.",
        "Bicycles travel free before nine in the morning.",
        "1. Board at the front gangway.",
        "2. Leave by the rear gangway.",
    ]
    # Code keeps its indentation (a tab is four spaces).
    assert body.find("pre").text == (
        "NEXT North Quay 06:10\n    then Fish Market 06:25\n    then Old Quay 06:40"
    )
    # Every paragraph keeps the #pN anchor quotes link to (the <pre> its first
    # line's, 13: a quote is never in the code's later lines).
    anchors = [element.get("id") for element in body.iter() if element.get("id")]
    count = len(article.paragraphs)
    assert anchors == [f"p{index}" for index in range(count) if index not in (14, 15)]


def test_subheadings_start_at_h2_and_skip_no_level(client) -> None:
    """A page whose subheadings are <h4> and <h5> (its <h2>s and <h3>s are its
    menus) shows them as <h2> and <h3>; a first one deeper than the next level
    comes up to it."""
    page = PAGE.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    page = page.replace("<h3>", "<h5>").replace("</h3>", "</h5>")
    _, article = _store(page=page, url=URL + "-2")
    body = _body(client, article)
    headings = [el.tag for el in body if el.tag.startswith("h")]
    assert headings == ["h2", "h3", "h2"]
    page = PAGE.replace("<h2>Before you travel</h2>", "<h3>Before you travel</h3>")
    _, article = _store(page=page, url=URL + "-3")
    headings = [el.tag for el in _body(client, article) if el.tag.startswith("h")]
    assert headings == ["h2", "h3", "h2"]


def test_an_article_without_kinds_shows_paragraphs(client) -> None:
    """Imported text, or an article stored before kinds were kept."""
    publisher = publisher_get_or_create(
        name="Harbour Post", homepage_url="https://post.example/", display_policy="full"
    )
    extracted = extract_article(PAGE, url=URL)
    article = article_store(
        publisher=publisher, url=URL, extracted=replace(extracted, block_kinds=())
    )
    article.refresh_from_db()
    assert article.block_kinds == [PARAGRAPH] * len(article.paragraphs)
    article.block_kinds = []
    article.save(update_fields=["block_kinds"])
    body = _body(client, article)
    assert {element.tag for element in body} == {"p"}
    assert len(body) == len(article.paragraphs)


def test_an_excerpt_shows_its_opening_as_a_paragraph(client) -> None:
    _, article = _store(policy="excerpt")
    body = _body(client, article)
    assert [element.tag for element in body] == ["p"]


@pytest.mark.parametrize("path", ["/feeds/latest.rss", "/feeds/latest.atom"])
def test_a_whole_text_in_feeds_keeps_its_headings_lists_and_tables(
    client, path: str
) -> None:
    """A feed reader shows the full text as the article page does; an excerpt
    is one paragraph; a publisher's markup in the text stays text."""
    page = PAGE.replace("Before you travel", "Before you <b>travel</b> &lt;script&gt;")
    _store(page=page)
    item = feedparser.parse(client.get(path).content).entries[0]
    body = lxml_html.fragment_fromstring(item.summary, create_parent="div")
    assert [element.tag for element in body] == [
        "h2",
        "p",
        "ul",
        "h3",
        "table",
        "h2",
        "blockquote",
        "ol",
        "p",
        "pre",
        "p",
    ]
    assert body[0].text_content() == "Before you travel <script>"
    assert [th.text for th in body.iter("th")] == ["Stop", "First boat"]
    # No anchors or scrolling boxes: they are the article page's.
    assert not [element for element in body.iter() if element.get("id")]
    assert not body.find_class("table-scroll")


def test_an_excerpt_in_feeds_is_one_paragraph(client) -> None:
    _, article = _store(policy="excerpt")
    item = feedparser.parse(client.get("/feeds/latest.rss").content).entries[0]
    body = lxml_html.fragment_fromstring(item.summary, create_parent="div")
    assert [element.tag for element in body] == ["p"]
    assert body[0].text_content().startswith(article.summary[:40])

"""Tests for cupure.extract.article: whole pages in, ExtractedArticle out.

Each page in pages/ states in its header comment what the extractor must return.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from lxml import etree
from lxml import html as lxml_html

from cupure.extract import (
    ExtractedArticle,
    ExtractionError,
    Figure,
    Image,
    NoArticleText,
    extract_article,
)
from cupure.extract.article import _drop_form_choices, _parse, _second_opinion
from cupure.extract.body import Body
from cupure.extract.repair import close_ignored_end_tags

COURIER_URL = "https://courier.example/transport/tram-airport?utm_source=feed"
BOILERPLATE = (
    "cookie",
    "Share on",
    "Related",
    "Council approves the budget",
    "newsletter",
    "Subscribe",
    "Finally!",
    "Too expensive",
    "All rights reserved",
    "Comments",
)


@pytest.fixture
def courier(page_bytes) -> ExtractedArticle:
    return extract_article(page_bytes("news_template"), url=COURIER_URL)


def test_news_template_metadata(courier: ExtractedArticle) -> None:
    """Title loses its " - Site" suffix; byline, date, site, canonical, language."""
    assert courier.title == "Tram line opens to the airport"
    assert courier.byline == "Ana Lindqvist"
    assert courier.published == datetime(
        2026, 10, 5, 8, 15, tzinfo=timezone(timedelta(hours=2))
    )
    assert courier.site_name == "The Riverside Courier"
    assert courier.canonical_url == "https://courier.example/transport/tram-airport"
    assert courier.language == "sv"


def test_news_template_paragraphs_in_order(courier: ExtractedArticle) -> None:
    """Each paragraph, the heading and each list item are their own blocks, in order."""
    assert len(courier.paragraphs) == 8
    assert courier.paragraphs[0].startswith("The long-awaited tram line")
    assert courier.paragraphs[1].startswith("Trams will run every seven minutes")
    assert courier.paragraphs[2].startswith("Officials said the line cost")
    assert courier.paragraphs[3].startswith("Local businesses along the route")
    assert courier.paragraphs[4] == "What changes for riders"
    assert courier.paragraphs[5] == (
        "Bus line 42 stops running to the airport from November."
    )
    assert courier.paragraphs[6] == (
        "Monthly passes are valid on the tram without any extra charge."
    )
    assert courier.paragraphs[7].startswith("The transport authority will publish")
    assert courier.text == "\n\n".join(courier.paragraphs)


def test_news_template_boilerplate_and_captions_stay_out(
    courier: ExtractedArticle,
) -> None:
    """No banner, menu, share, related, newsletter, comment, caption or credit text."""
    for needle in (*BOILERPLATE, "first tram leaves", "Per Holm", "Lina Berg"):
        assert needle not in courier.text, needle


def test_news_template_lead_image_and_figure(courier: ExtractedArticle) -> None:
    """The lead figure (lazy-loaded src) keeps caption and credit apart; the inline
    figure sits after two paragraphs; the lead is not repeated among the figures."""
    assert courier.lead_image == Image(
        src="https://courier.example/media/tram-1200.jpg",
        caption="The first tram leaves the central station.",
        credit="Photo: Per Holm / Courier",
    )
    assert courier.figures == (
        Figure(
            src="https://courier.example/media/platform.jpg",
            caption="Passengers wait on the new platform.",
            credit="© Lina Berg",
            position=2,
        ),
    )


def test_to_json_has_the_design_keys(courier: ExtractedArticle) -> None:
    """to_json gives the DESIGN.md shape with ISO dates and plain dicts, then the
    standfirst, what each paragraph is, the update date, each field's source and
    the date candidates."""
    data = courier.to_json()
    assert list(data)[:10] == [
        "title",
        "byline",
        "published",
        "site_name",
        "canonical_url",
        "language",
        "lead_image",
        "paragraphs",
        "figures",
        "text",
    ]
    assert list(data)[10:] == [
        "credit",
        "standfirst",
        "block_kinds",
        "updated",
        "sources",
        "date_candidates",
    ]
    assert data["published"] == "2026-10-05T08:15:00+02:00"
    assert data["sources"]["published"] == "meta:article:published_time"
    assert data["lead_image"] == {
        "src": "https://courier.example/media/tram-1200.jpg",
        "caption": "The first tram leaves the central station.",
        "credit": "Photo: Per Holm / Courier",
    }
    assert data["figures"] == [
        {
            "src": "https://courier.example/media/platform.jpg",
            "caption": "Passengers wait on the new platform.",
            "credit": "© Lina Berg",
        }
    ]
    assert data["text"] == courier.text


def test_jsonld_only_metadata(page_bytes) -> None:
    """Byline, date, publisher and lead image come from JSON-LD when meta tags lack
    them; the site name in front of the <title> is not part of the headline."""
    article = extract_article(page_bytes("jsonld_blog"), url="https://bread.example/p")
    assert article.title == "Five rules for sourdough bread"
    assert article.byline == "Tove Nyberg"
    assert article.published == datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
    assert article.site_name == "Crumb & Co"
    assert article.lead_image == Image(src="https://bread.example/img/loaf.jpg")
    assert article.figures == ()
    assert len(article.paragraphs) == 3
    assert article.paragraphs[2].startswith("Bake in a heavy pot")


def test_windows_1252_bytes_are_decoded(page_bytes) -> None:
    """A declared windows-1252 page decodes accents and dashes correctly."""
    article = extract_article(page_bytes("windows_1252"))
    assert article.title == "Café prices rise again"
    assert article.language == "fr"
    assert len(article.paragraphs) == 1
    assert article.paragraphs[0].startswith("Prices at the café")
    assert "2025–2026" in article.paragraphs[0]


def test_page_without_article_text_is_an_error(page_bytes) -> None:
    """A menu-only page raises ExtractionError saying no article text was found."""
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_article(page_bytes("no_article"))


def test_a_page_without_text_still_says_what_it_is() -> None:
    """A script-only page: the error carries its title, date and picture, with
    no paragraphs, for a feed entry's text to stand in for its body."""
    page = """<html><head><title>Ferry timetable - The Test Gazette</title>
    <meta property="og:title" content="Ferry timetable">
    <meta property="og:image" content="/img/ferry.jpg">
    <meta property="article:published_time" content="2026-11-23T08:15:00Z">
    </head><body><div id="app"></div><script>render()</script></body></html>"""
    with pytest.raises(NoArticleText, match="no article text found") as raised:
        extract_article(page, url="https://gazette.example/news/ferry")
    found = raised.value.page
    assert found.title == "Ferry timetable"
    assert found.published == datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
    assert found.lead_image is not None
    assert found.lead_image.src == "https://gazette.example/img/ferry.jpg"
    assert (found.paragraphs, found.block_kinds, found.figures) == ((), (), ())
    assert raised.value.code == "no_article_text"


@pytest.mark.parametrize("html", [b"", "   \n ", b"\xef\xbb\xbf"])
def test_empty_input_is_an_error(html: str | bytes) -> None:
    """Empty documents raise ExtractionError with a message, not a parser exception."""
    with pytest.raises(ExtractionError, match="empty page"):
        extract_article(html)


def test_invalid_bytes_never_crash() -> None:
    """Bytes that are not valid in any declared encoding still give an article."""
    body = (
        "Le conseil municipal a voté le budget pour l'année prochaine hier soir. " * 3
    )
    html = (
        b"<html><head><meta charset='utf-8'><title>Budget</title></head><body>"
        b"<article><h1>Budget</h1><p>"
        + body.encode("latin-1")
        + b"\xff\xfe\x80</p></article></body></html>"
    )
    article = extract_article(html)
    assert article.paragraphs[0].startswith("Le conseil municipal a vot")
    assert "\ufffd" in article.paragraphs[0]


def test_lines_of_a_plain_pre_stay_lines() -> None:
    """A <pre> of plain lines (a short poem) keeps one block per line, though
    trafilatura reads it as a quotation whose newlines would run together."""
    html = """<html><head><title>Harbour song</title></head><body><article>
    <h1>Harbour song</h1>
    <p>The harbour choir wrote a short song for the new ferry and sang it on the
    quay on Saturday, to the crew's surprise and the gulls' dismay.</p>
    <pre>
the ferry leaves at noon
the gulls all follow soon
the quay is wet with rain
we wave her off again
</pre>
    <p>The choir will sing it again when the ferry returns from its first
    crossing of the season next month.</p>
    </article></body></html>"""
    article = extract_article(html)
    assert "the ferry leaves at noon" in article.paragraphs
    assert "we wave her off again" in article.paragraphs


def test_the_fallback_body_reads_a_pre_line_by_line() -> None:
    """The page's own paragraphs, read when trafilatura's body falls short, keep
    each line of a <pre> (commands in a code block) a block of its own."""
    from cupure.extract.article import _fallback_body

    tree = lxml_html.document_fromstring(
        "<html><body><article><p>Open the two ports first.</p>"
        "<pre><code>sudo open-port 8080\nsudo open-port 8443\n</code></pre>"
        "</article></body></html>"
    )
    assert _fallback_body(tree).blocks == [
        "Open the two ports first.",
        "sudo open-port 8080",
        "sudo open-port 8443",
    ]


@pytest.mark.parametrize(
    "comment",
    [
        '<span class="hljs-comment"># open both ports</span>',  # highlight.js
        '<span class="token comment"># open both ports</span>',  # Prism
    ],
)
def test_a_highlighted_code_comment_is_code_not_a_comment_thread(comment: str) -> None:
    """A syntax highlighter names a code comment "hljs-comment" or "token comment":
    it is a line of the code, not the page's comments to prune."""
    filler = "<p>The ferry company opened its booking service to developers. " * 3
    html = (
        f"<html><body><article><h1>Booking API</h1>{filler}</p>"
        f"<p>Open the two ports first.</p><pre><code>{comment}\n"
        "sudo open-port 8080\nsudo open-port 8443\n</code></pre>"
        f"{filler}</p></article></body></html>"
    )
    article = extract_article(html)
    at = article.paragraphs.index("Open the two ports first.")
    assert article.paragraphs[at + 1 : at + 4] == (
        "# open both ports",
        "sudo open-port 8080",
        "sudo open-port 8443",
    )


def test_a_form_s_drop_down_choices_are_not_text() -> None:
    """A filter form's <select> lists hundreds of options; a reader sees one of
    each, and on WCXB 0485 readability's second opinion read them as the article.
    They go from the copy readability reads; the form's labels and the page's
    text stay."""
    tree = lxml_html.document_fromstring(
        "<html><body><form><label>Role</label><select name='role'>"
        "<option>- Any -</option><option>2007 - Alice project-team</option>"
        "</select><input list='years'><datalist id='years'><option>2007</option>"
        "</datalist></form><article><p>The Internet of Things links objects to the"
        " network.</p></article></body></html>"
    )
    _drop_form_choices(tree)
    assert [" ".join(text.split()) for text in tree.find("body").itertext()] == [
        "Role",
        "The Internet of Things links objects to the network.",
    ]


def test_fields_hold_no_markup() -> None:
    """Escaped markup in metadata (og:title, author) comes out as plain text."""
    html = """<html><head><title>x</title>
    <meta property="og:title" content="&lt;b&gt;Floods&lt;/b&gt; close the valley road">
    <meta name="author" content="&lt;a href='/x'&gt;Ida Berg&lt;/a&gt;">
    </head><body><div><p>The valley road closed on Tuesday after the river burst
    its banks for the second time this year, the roads agency said.</p></div>
    </body></html>"""
    article = extract_article(html)
    assert article.title == "Floods close the valley road"
    assert article.byline == "Ida Berg"
    for value in (article.title, article.byline, *article.paragraphs):
        assert "<" not in value


def test_relative_image_urls_resolve_against_the_page_url() -> None:
    """Figure sources are absolute, resolved against ``url``."""
    paragraph = "<p>" + "The harbour reopened to ships after the storm passed. " * 3
    html = (
        "<html><body><article><h1>Harbour</h1>"
        + paragraph
        + "</p><figure><img src='../img/ship.jpg'><figcaption>A ship."
        " Photo: Kai Ek</figcaption></figure>"
        + paragraph
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://port.example/news/harbour")
    assert article.figures == (
        Figure(
            src="https://port.example/img/ship.jpg",
            caption="A ship.",
            credit="Photo: Kai Ek",
            position=1,
        ),
    )
    assert "A ship" not in article.text


@pytest.mark.parametrize(
    "head",
    [
        "<link rel='canonical' href='http://[object Object]/harbour'>",
        "<base href='http://[::1'>",
        "<meta property='og:image' content='http://[::1/lead.jpg'>",
        "<meta property='og:url' content='https://[object Object]'>",
    ],
)
def test_links_no_parser_can_read_are_passed_over(head: str) -> None:
    """A canonical, base or picture URL with an unclosed "[" or a script's stray
    "[object Object]" host loses the page nothing: it is read as no link and the
    pictures resolve against the page's own URL (these raised ValueError, "Invalid
    IPv6 URL", out of the extractor)."""
    paragraph = "<p>" + "The harbour reopened to ships after the storm passed. " * 3
    html = (
        "<html><head><title>Harbour reopens</title>" + head + "</head><body><article>"
        "<h1>Harbour reopens</h1>"
        + paragraph
        + "</p><figure><img src='../img/ship.jpg'><figcaption>A ship.</figcaption>"
        "</figure><figure><img src='http://[bad/crane.jpg'><figcaption>A crane."
        "</figcaption></figure>" + paragraph + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://port.example/news/harbour")
    assert article.title == "Harbour reopens"
    assert [figure.src for figure in article.figures] == [
        "https://port.example/img/ship.jpg"
    ]
    assert article.canonical_url in ("", "https://port.example/news/harbour")
    assert article.lead_image is None or "[" not in article.lead_image.src
    # Without the page's URL (`cupure extract page.html`) too.
    assert "[" not in extract_article(html).canonical_url


def test_a_date_line_and_a_picture_credit_opening_the_text_go_to_their_places() -> None:
    """A credit line under the lead picture and an "Updated …" line that the
    body opens with are shown with the picture and as the page's dates, not as
    the article's first paragraphs."""
    paragraph = "<p>" + "The harbour reopened to ships after the storm passed. " * 3
    html = (
        "<html><head><meta property='og:image' content='/img/harbour.jpg'></head>"
        "<body><article><h1>Harbour reopens</h1>"
        "<figure><img src='/img/harbour.jpg'></figure>"
        "<p>Credit: Harbour Post / Kai Ek</p><p>Last updated: April 21, 2025</p>"
        + paragraph
        + "</p>"
        + paragraph
        + "</p></article></body></html>"
    )
    article = extract_article(html, url="https://port.example/news/harbour")
    assert article.lead_image is not None
    assert article.lead_image.credit == "Credit: Harbour Post / Kai Ek"
    assert article.paragraphs[0].startswith("The harbour reopened")
    assert "Last updated" not in article.text


def test_the_byline_printed_piece_by_piece_atop_the_text_is_not_text() -> None:
    """A template prints the byline above the text as loose blocks (the name,
    the date, the read time): shown apart as the byline, they are not the
    article's first paragraphs; a bare date opening a page without them stays."""
    paragraph = "<p>" + "The harbour reopened to ships after the storm passed. " * 3
    byline = "<p>Written By</p><p>ANN LEE</p><p>Sep 26, 2022</p><p>2 min read</p>"
    html = (
        "<html><head><meta name='author' content='Ann Lee'></head><body><article>"
        f"<h1>Harbour reopens</h1>{byline}{paragraph}</p>{paragraph}</p>"
        "</article></body></html>"
    )
    article = extract_article(html, url="https://port.example/news/harbour")
    assert article.byline == "Ann Lee"
    assert article.paragraphs[0].startswith("The harbour reopened")
    undated = html.replace("<meta name='author' content='Ann Lee'>", "").replace(
        byline, "<p>Sep 26, 2022</p>"
    )
    article = extract_article(undated, url="https://port.example/news/harbour")
    assert article.paragraphs[0] == "Sep 26, 2022"


def test_labelled_links_to_other_pieces_are_not_text() -> None:
    """ "Related: …", "Also read: …" and "See also: …" lines set between the
    paragraphs point to other pieces: furniture, not the article's text; a
    sentence that only starts with such words stays."""
    paragraph = "<p>" + "The harbour reopened to ships after the storm passed. " * 3
    teasers = (
        "<p>Related: <a href='/fares'>Ferry fares frozen for the winter</a></p>"
        "<p>Also read: <a href='/tides'>Spring tides flood the quay</a></p>"
        "<p>See also: <a href='/pier'>The old pier</a></p>"
        "<p>Related work on the quay starts in May, the port said.</p>"
    )
    html = (
        "<html><body><article><h1>Harbour reopens</h1>"
        f"{paragraph}</p>{teasers}{paragraph}</p></article></body></html>"
    )
    article = extract_article(html, url="https://port.example/news/harbour")
    assert "Ferry fares frozen" not in article.text
    assert "Spring tides" not in article.text
    assert "The old pier" not in article.text
    assert "Related work on the quay starts in May, the port said." in article.text


def test_labels_left_alone_by_their_controls_are_not_text() -> None:
    """A table of contents' heading without its links, a share button's label
    and "Back to top" are no paragraphs; a heading that names the text stays."""
    paragraph = "<p>" + "The harbour reopened to ships after the storm passed. " * 3
    html = (
        "<html><body><article><h1>Harbour reopens</h1><p>Table of Contents</p>"
        f"{paragraph}</p><h2>Key takeaways</h2>{paragraph}</p><p>Read more</p>"
        "<p>Share this post</p><p>Back to top</p></article></body></html>"
    )
    article = extract_article(html, url="https://port.example/news/harbour")
    assert "Key takeaways" in article.paragraphs
    for label in ("Table of Contents", "Read more", "Share this post", "Back to top"):
        assert label not in article.paragraphs


def test_div_soup_template(page_bytes) -> None:
    """Loose captions and credits, a kicker, a standfirst, a disclaimer and a comment
    widget: only the four body paragraphs stay, pictures keep caption and credit,
    and the standfirst is kept apart."""
    article = extract_article(page_bytes("div_soup"), url="https://post.example/n/1")
    assert article.title == "Ferry timetable cut as fuel costs rise"
    assert article.byline == "Colin Marsh"
    assert article.site_name == "Kessel Evening Post"
    assert article.lead_image == Image(
        src="https://post.example/img/ferry-1200.jpg",
        caption="The morning ferry leaves Old Quay",
        credit="Picture: Kessel Evening Post/Tom Hyde",
    )
    assert len(article.paragraphs) == 4
    assert article.standfirst == (
        "Two evening crossings will go from January, the operator said."
    )
    assert article.paragraphs[0].startswith("The harbour ferry company will cut")
    assert article.paragraphs[3].startswith("The city council said")
    for needle in (
        "Business",
        "Two evening crossings",
        "fictional",
        "cookies",
        "Typical",
        "likes",
        "comments",
        "Passengers on the upper deck",
        "Northshore",
        "Tom Hyde",
    ):
        assert needle not in article.text, needle
    assert article.figures == (
        Figure(
            src="https://post.example/img/deck-800.jpg",
            caption="Passengers on the upper deck",
            credit="Northshore Daily",
            position=2,
        ),
    )


def test_second_opinion_recovers_a_body_cut_short() -> None:
    """When the body found holds far fewer words than the page's paragraphs,
    readability's longer body replaces it."""
    sentences = [
        f"Paragraph {n} of the council report describes the budget in detail, "
        "line by line, with the figures the auditors asked for last spring."
        for n in range(12)
    ]
    html = "<html><body><article>" + "".join(f"<p>{s}</p>" for s in sentences)
    tree = lxml_html.document_fromstring(html + "</article></body></html>")
    short = Body(blocks=[sentences[0]])
    recovered = _second_opinion(short, tree)
    assert recovered.blocks == sentences
    whole = Body(blocks=list(sentences))
    assert _second_opinion(whole, tree) is whole


def test_second_opinion_keeps_the_opening_readability_starts_below() -> None:
    """A broken embed cuts an article in two (WCXB 0061): trafilatura reads the
    opening and stops, readability takes the longer rest. The opening goes back
    before it; what trafilatura read after readability's container (further
    reading) does not."""
    opening = [
        f"Opening paragraph {n} explains why the harbour ferry timetable changes "
        "this winter and who it affects."
        for n in range(3)
    ]
    rest = [
        f"Section {n} of the timetable guide lists the crossings, the fares and "
        "the piers in detail for every weekday."
        for n in range(14)
    ]
    paragraphs = "".join(f"<p>{s}</p>" for s in rest)
    tree = lxml_html.document_fromstring(
        "<html><body><div class='post'><div class='rich-text'>"
        + "".join(f"<p>{s}</p>" for s in opening)
        + f"<div class='embed'><div class='table-wrap'>{paragraphs}"
        + "</div></div></div></div></body></html>"
    )
    assert _second_opinion(Body(blocks=list(opening)), tree).blocks == opening + rest
    after = [
        f"Further reading {n}: the old timetable, the fares of 2019." for n in range(3)
    ]
    tree = lxml_html.document_fromstring(
        f"<html><body><div class='post'><div class='guide'>{paragraphs}</div></div>"
        + "<div class='more'>"
        + "".join(f"<p>{s}</p>" for s in after)
        + "</div></body></html>"
    )
    assert _second_opinion(Body(blocks=list(after)), tree).blocks == rest


def test_second_opinion_on_a_page_cut_off_in_its_head_keeps_the_body() -> None:
    """A page cut off inside its <head> has no <body> for readability to read:
    the body found stands (lxml's assertion on readability's answer escaped the
    extractor)."""
    tree = lxml_html.document_fromstring(
        "<html><head><title>Ferry fares</title><script>var fares = {"
    )
    monolith = Body(blocks=["The ferry company froze its fares again. " * 100])
    assert _second_opinion(monolith, tree) is monolith


@pytest.mark.parametrize(
    "html",
    [
        bytes(range(256)) * 8,
        b"\x00\x01\x02" * 100,
        b'{"not": "html"}',
        b"<?xml version='1.0' encoding='utf-8'?><rss><channel></channel></rss>",
        "<p>" * 3000,
    ],
)
def test_junk_input_raises_extraction_error_only(html: str | bytes) -> None:
    """Binary junk, JSON, feeds and pathological markup give ExtractionError (a
    message for the feed's log), never another exception."""
    with pytest.raises(ExtractionError):
        extract_article(html, url="not a url")


def test_fuller_article_container_replaces_a_cut_body() -> None:
    """The <article>'s own paragraphs replace a body holding only part of them, and
    never a body they do not contain."""
    from lxml import html as lxml_html

    from cupure.extract.article import _fuller_container
    from cupure.extract.body import Body

    items = "".join(f"<li>Pick {n}: the ferry line number {n}</li>" for n in range(9))
    tree = lxml_html.document_fromstring(
        "<html><body><nav><p>Home News</p></nav><article><p>The ferries ranked, "
        f"from best to worst.</p><ul>{items}</ul><p>Book early.</p>"
        "<p>Share this:</p></article></body></html>"
    )
    cut = Body(blocks=["The ferries ranked, from best to worst.", "Book early."])
    assert len(_fuller_container(cut, tree).blocks) == 11
    other = Body(blocks=["The ferries ranked, from best to worst.", "Trains."])
    assert _fuller_container(other, tree) is other


def test_fuller_container_reads_the_page_body_without_an_article_element() -> None:
    """A page with neither <article> nor <main> (a theme's <div class="post">) is
    read from <body>: the headings and list trafilatura left out between the
    paragraphs come back, the menu before the first paragraph stays out."""
    from cupure.extract.article import _fuller_container

    items = "".join(f"<li>Step {n}: fold the map along line {n}</li>" for n in range(6))
    tree = lxml_html.document_fromstring(
        "<html><body><div class='menu'><p>Home</p><p>Maps</p></div>"
        "<div class='post'><p>How to fold a city map the way it came.</p>"
        f"<h2>The steps</h2><ul>{items}</ul><p>Practise twice.</p></div>"
        "</body></html>"
    )
    cut = Body(blocks=["How to fold a city map the way it came.", "Practise twice."])
    fuller = _fuller_container(cut, tree)
    assert fuller.blocks[0] == "How to fold a city map the way it came."
    assert fuller.blocks[1] == "The steps"
    assert fuller.blocks[2] == "Step 0: fold the map along line 0"
    assert fuller.blocks[-1] == "Practise twice."
    assert len(fuller.blocks) == 9


def _restored(html: str, blocks: list[str]) -> list[str]:
    from cupure.extract.article import _restore_structure

    tree = lxml_html.document_fromstring(f"<html><body>{html}</body></html>")
    return _restore_structure(Body(blocks=blocks), tree).blocks


def test_headings_and_list_items_between_body_paragraphs_come_back_in_place() -> None:
    """A body of loose paragraphs gets back the subheading and list items the page
    shows between them, in page order."""
    html = (
        "<div class='post'><p>The bakery opens at six.</p><h2>What to order</h2>"
        "<ul><li>Rye loaf</li><li>Cardamom bun</li></ul>"
        "<p>Queues are short before seven.</p></div>"
    )
    blocks = ["The bakery opens at six.", "Queues are short before seven."]
    assert _restored(html, blocks) == [
        "The bakery opens at six.",
        "What to order",
        "Rye loaf",
        "Cardamom bun",
        "Queues are short before seven.",
    ]


def test_a_section_written_without_p_in_the_body_s_rich_text_slot_comes_back() -> None:
    """A CMS sets each section's text in the same rich-text <div>: with <p>s in
    some sections, as bare text in others (WCXB 4040). The bare one is a paragraph
    of the body; bare text in a slot that holds one body block only (a dialog's
    question beside the line that opens it) is not."""

    def section(heading: str, text: str) -> str:
        return (
            f"<section><div class='title'><h2>{heading}</h2></div>"
            f"<div class='rich-text'>{text}</div></section>"
        )

    first = ["Kaldi's goats found the berries.", "They danced all night long."]
    last = ["Coffee houses opened across Europe.", "London had hundreds by 1700."]
    middle = (
        "Yemen tells another story: a Sufi mystic found birds eating the "
        "berries and grew bold."
    )
    closing = "Tell us your own coffee story."
    html = (
        section("Ethiopia", "".join(f"<p>{s}</p>" for s in first))
        + section("Yemen", middle)
        + section("Europe", "".join(f"<p>{s}</p>" for s in last))
        + "<div class='dialog'><div class='note'>Are you sure you want to remove "
        + "this story from your reading list?</div>"
        + f"<div class='note'><p>{closing}</p></div></div>"
    )
    assert _restored(html, [*first, *last, closing]) == [
        *first,
        "Yemen",
        middle,
        "Europe",
        *last,
        closing,
    ]


def test_an_article_set_in_a_header_gets_its_subheadings_back() -> None:
    """A page that sets its whole post in a <header> (Webflow's section names)
    gets back what the body left out inside it, as if it were a <div>; a <nav>
    holding most of a page's text (a shop's mega menu) but none of the body's
    blocks stays chrome, and nothing in it comes back."""
    post = (
        "<p>The bakery opens at six.</p><h2>What to order</h2>"
        "<ul><li>Rye loaf</li><li>Cardamom bun</li></ul>"
        "<p>Queues are short before seven.</p>"
    )
    blocks = ["The bakery opens at six.", "Queues are short before seven."]
    assert _restored(f"<header class='section_post'>{post}</header>", blocks) == [
        "The bakery opens at six.",
        "What to order",
        "Rye loaf",
        "Cardamom bun",
        "Queues are short before seven.",
    ]
    menu = "".join(f"<li>Department number {n} of the shop</li>" for n in range(40))
    html = (
        "<p>The bakery opens at six.</p>"
        f"<nav><h2>Shop by department</h2><ul>{menu}</ul></nav>"
        "<p>Queues are short before seven.</p>"
    )
    assert _restored(html, blocks) == blocks


def test_links_and_teaser_cards_between_body_paragraphs_stay_out() -> None:
    """A list of links (table of contents, related stories), a heading inside a
    link (a teaser card) and a list of bare numbers (a rating widget) are not put
    back; a list item with a link in running text is."""
    html = (
        "<p>The bakery opens at six.</p>"
        "<ul><li><a href='#a'>Opening hours</a></li>"
        "<li><a href='#b'>Prices</a></li></ul>"
        "<a href='/other'><h3>Ten more bakeries to try</h3></a>"
        "<ul><li>4</li><li>5</li></ul>"
        "<ul><li>Ask for the <a href='/bun'>bun</a> of the day at the counter</li></ul>"
        "<p>Queues are short before seven.</p>"
    )
    blocks = ["The bakery opens at six.", "Queues are short before seven."]
    assert _restored(html, blocks) == [
        "The bakery opens at six.",
        "Ask for the bun of the day at the counter",
        "Queues are short before seven.",
    ]


def test_linked_items_of_a_plain_list_come_back_but_not_a_styled_one() -> None:
    """Items written as a bare list come back even when each is a link (the
    article's own sources, the shops it compares); a styled list of links (a
    template's related stories) and links within the page (a table of contents)
    stay out."""
    html = (
        "<p>We asked three tea shops about their oolong.</p>"
        "<ul><li><a href='https://leaf.example/'>Green Leaf House</a></li>"
        "<li><a href='/shops/kettle'>Kettle and Stone</a></li></ul>"
        "<ul class='related-list'><li><a href='/story/1'>Ten teapots we loved</a></li>"
        "<li><a href='/story/2'>Why cups matter</a></li></ul>"
        "<ul><li><a href='#prices'>Prices</a></li>"
        "<li><a href='#tips'>Tips</a></li></ul>"
        "<h3><a href='https://moss.example/'>Moss Teahouse</a></h3>"
        "<p>All three brew it twice.</p>"
    )
    blocks = [
        "We asked three tea shops about their oolong.",
        "All three brew it twice.",
    ]
    assert _restored(html, blocks) == [
        "We asked three tea shops about their oolong.",
        "Green Leaf House",
        "Kettle and Stone",
        "Moss Teahouse",
        "All three brew it twice.",
    ]


def test_rows_of_a_data_table_come_back_but_not_a_layout_table() -> None:
    """The rows of a table with a header between two body paragraphs (a ranking the
    body skipped) come back one per row; a table without a header (a layout grid, a
    widget) stays out."""
    html = (
        "<p>We timed four ferries across the bay.</p>"
        "<table><thead><tr><th>Ferry</th><th>Minutes</th></tr></thead>"
        "<tbody><tr><td>Blue Heron</td><td>41</td></tr>"
        "<tr><td>Old Pike</td><td>55</td></tr></tbody></table>"
        "<table><tr><td>Share</td><td>Print</td></tr>"
        "<tr><td>Save</td><td>Email</td></tr></table>"
        "<p>The Blue Heron also ran on time.</p>"
    )
    blocks = [
        "We timed four ferries across the bay.",
        "The Blue Heron also ran on time.",
    ]
    assert _restored(html, blocks) == [
        "We timed four ferries across the bay.",
        "Ferry | Minutes",
        "Blue Heron | 41",
        "Old Pike | 55",
        "The Blue Heron also ran on time.",
    ]


def test_a_repeated_label_paragraph_comes_back_under_each_product() -> None:
    """A short paragraph ending in a colon ("Pros:") labels the list after it, like
    a heading: it comes back under the second product although the body already
    has it under the first."""
    html = (
        "<p>Two kettles went on our stove.</p><h3>Copper kettle</h3>"
        "<p><strong>Pros:</strong></p><ul><li>Heats fast</li></ul>"
        "<h3>Steel kettle</h3><p><strong>Pros:</strong></p>"
        "<ul><li>Never rusts</li></ul>"
        "<p>Both whistle loudly.</p>"
    )
    blocks = [
        "Two kettles went on our stove.",
        "Copper kettle",
        "Pros:",
        "Heats fast",
        "Both whistle loudly.",
    ]
    assert _restored(html, blocks) == [
        "Two kettles went on our stove.",
        "Copper kettle",
        "Pros:",
        "Heats fast",
        "Steel kettle",
        "Pros:",
        "Never rusts",
        "Both whistle loudly.",
    ]


def test_an_accordion_question_in_a_button_comes_back() -> None:
    """A FAQ's question written as the button that opens its answer comes back
    before the answer; an ordinary button's label does not."""
    html = (
        "<p>Our guide to oolong ends with your questions.</p>"
        "<button type='button'>Save this guide</button>"
        "<div class='accordion'><button aria-controls='a1' aria-expanded='false'>"
        "<h3>How hot should the water be?</h3></button>"
        "<div id='a1'><p>Just under boiling, about ninety degrees.</p></div></div>"
    )
    blocks = [
        "Our guide to oolong ends with your questions.",
        "Just under boiling, about ninety degrees.",
    ]
    assert _restored(html, blocks) == [
        "Our guide to oolong ends with your questions.",
        "How hot should the water be?",
        "Just under boiling, about ninety degrees.",
    ]


def test_nothing_is_put_back_where_the_body_order_is_not_the_page_order() -> None:
    """Between two body blocks whose stretch of page holds another body block (the
    body read the page out of order), no heading can be placed."""
    html = (
        "<p>First on the page.</p><h2>A heading</h2><p>Second on the page.</p>"
        "<p>Third on the page.</p>"
    )
    blocks = ["First on the page.", "Third on the page.", "Second on the page."]
    assert _restored(html, blocks) == blocks


def test_blocks_are_placed_in_their_longest_page_order() -> None:
    """A first body block found only far down the page (a line the body took from
    a box under the article) does not leave the blocks after it unplaced: the
    heading between them still comes back."""
    html = (
        "<p>The ferry leaves at noon.</p><h2>Tickets</h2>"
        "<p>The crossing takes forty minutes.</p>"
        "<div class='box'><p>Sign up for harbour news.</p></div>"
    )
    blocks = [
        "Sign up for harbour news.",
        "The ferry leaves at noon.",
        "The crossing takes forty minutes.",
    ]
    assert _restored(html, blocks) == [
        "Sign up for harbour news.",
        "The ferry leaves at noon.",
        "Tickets",
        "The crossing takes forty minutes.",
    ]


def test_paragraphs_between_body_paragraphs_come_back_but_not_div_text() -> None:
    """A <p> the body left out between two of its paragraphs (a lead in a styled
    box) is put back; bare <div> text there (a price tag, a toggle) is not."""
    html = (
        "<p>The ferry leaves at noon.</p>"
        "<div class='box'><p>Tickets sell out by ten on summer weekends.</p></div>"
        "<div class='price'>From 12 crowns</div>"
        "<p>The crossing takes forty minutes.</p>"
    )
    blocks = ["The ferry leaves at noon.", "The crossing takes forty minutes."]
    assert _restored(html, blocks) == [
        "The ferry leaves at noon.",
        "Tickets sell out by ten on summer weekends.",
        "The crossing takes forty minutes.",
    ]


def test_sentences_held_in_a_div_beside_body_paragraphs_come_back() -> None:
    """Text written straight into a <div> beside the body's paragraphs comes back
    when it reads as a sentence; a short label, a line ending in no full stop and a
    sentence in a share box stay out."""
    html = (
        "<div class='story'><p>The ferry leaves at noon.</p>"
        "<div>Tickets for the summer crossings sell out by ten on weekends.</div>"
        "<div>From 12 crowns</div>"
        "<div>Book a seat now for the longest crossing of the year</div>"
        "<div class='share-box'>Tell your friends about this lovely island "
        "ferry today.</div>"
        "<p>The crossing takes forty minutes.</p></div>"
    )
    blocks = ["The ferry leaves at noon.", "The crossing takes forty minutes."]
    assert _restored(html, blocks) == [
        "The ferry leaves at noon.",
        "Tickets for the summer crossings sell out by ten on weekends.",
        "The crossing takes forty minutes.",
    ]


def test_questions_and_answers_of_a_faq_come_back() -> None:
    """A FAQ written in <div>s inside the body comes back, its short questions
    too; a short line there that is no sentence (a toggle's label) stays out."""
    html = (
        "<p>The ferry leaves at noon.</p>"
        "<div class='faq-list'><div class='faq-item'>"
        "<div class='faq-question'>Can I bring a bike?</div>"
        "<div class='faq-toggle'>Show answer</div>"
        "<div class='faq-answer'>Yes, bikes ride free.</div></div></div>"
        "<p>The crossing takes forty minutes.</p>"
    )
    blocks = ["The ferry leaves at noon.", "The crossing takes forty minutes."]
    assert _restored(html, blocks) == [
        "The ferry leaves at noon.",
        "Can I bring a bike?",
        "Yes, bikes ride free.",
        "The crossing takes forty minutes.",
    ]


def test_repeated_headings_come_back_but_repeated_paragraphs_do_not() -> None:
    """A heading the body already holds under an earlier section ("Pros" under each
    product) is put back in its later place too; a paragraph the body holds
    elsewhere (a page written twice) is not put back a second time."""
    html = (
        "<h2>Kettle A</h2><h3>Pros</h3><p>Boils a litre in two minutes.</p>"
        "<h2>Kettle B</h2><h3>Pros</h3><p>Boils a litre in two minutes.</p>"
        "<p>Quiet enough for a night shift.</p>"
    )
    blocks = [
        "Kettle A",
        "Pros",
        "Boils a litre in two minutes.",
        "Kettle B",
        "Quiet enough for a night shift.",
    ]
    assert _restored(html, blocks) == [
        "Kettle A",
        "Pros",
        "Boils a litre in two minutes.",
        "Kettle B",
        "Pros",
        "Quiet enough for a night shift.",
    ]


def test_furniture_headings_are_not_put_back() -> None:
    """Headings of a related list, a share bar or an author box between two body
    blocks stay out; a heading that only starts with such a word comes back."""
    html = (
        "<p>The ferry leaves at noon.</p>"
        "<h3>Related articles:</h3><h3>Share this story</h3><h3>About the author</h3>"
        "<h3>More crossings to try this summer</h3><h3>Popular routes</h3>"
        "<h3>Sharing a cabin</h3>"
        "<p>The crossing takes forty minutes.</p>"
    )
    blocks = ["The ferry leaves at noon.", "The crossing takes forty minutes."]
    assert _restored(html, blocks) == [
        "The ferry leaves at noon.",
        "More crossings to try this summer",
        "Popular routes",
        "Sharing a cabin",
        "The crossing takes forty minutes.",
    ]


def test_paragraphs_in_ad_slots_and_bylines_are_not_put_back() -> None:
    """A paragraph inside an element named as page furniture (an ad slot, a byline
    box) stays out; a paragraph in an ordinary wrapper comes back."""
    html = (
        "<p>The ferry leaves at noon.</p>"
        "<div class='ad-slot'><span>Advertisement</span>"
        "<p>Half-price sofas, this weekend only.</p></div>"
        "<p class='byline'>By Ona Vale</p>"
        "<section class='story-part'><p>Tickets sell out by ten.</p></section>"
        "<p>The crossing takes forty minutes.</p>"
    )
    blocks = ["The ferry leaves at noon.", "The crossing takes forty minutes."]
    assert _restored(html, blocks) == [
        "The ferry leaves at noon.",
        "Tickets sell out by ten.",
        "The crossing takes forty minutes.",
    ]


def test_nothing_is_put_back_beside_a_paragraph_the_page_writes_twice() -> None:
    """When the body holds a paragraph without its citation marks and the page
    writes it twice (with them), neither page version is found, nor can one be
    chosen: the stretch is left alone, as putting it back would show the paragraph
    twice."""
    cited = (
        "<p>Tides in the bay rise faster than the charts say [1, 2], and the old "
        "harbour floods twice a year [3].</p>"
    )
    html = f"<h2>Background</h2>{cited}<h3>The bay</h3>{cited}<h2>Methods</h2>"
    blocks = [
        "Background",
        "Tides in the bay rise faster than the charts say [], and the old harbour "
        "floods twice a year [].",
        "Methods",
    ]
    assert _restored(html, blocks) == blocks


def test_paragraphs_the_body_wrote_another_way_are_read_as_the_page_writes_them() -> (
    None
):
    """Body paragraphs between two placed blocks, each with one near copy between
    their places on the page, in the same order, are those paragraphs: they are
    read with their citation marks, and the stretch gets its heading back."""
    html = (
        "<h2>Background</h2>"
        "<p>Tides in the bay rise faster than the charts say [1, 2], and the old "
        "harbour floods twice a year [3].</p>"
        "<h3>Earlier surveys</h3>"
        "<p>Divers measured the silt by hand in the spring of each year [4], and "
        "found it deeper near the pier [5].</p>"
        "<h2>Methods</h2>"
    )
    blocks = [
        "Background",
        "Tides in the bay rise faster than the charts say [], and the old harbour "
        "floods twice a year [].",
        "Divers measured the silt by hand in the spring of each year [], and found "
        "it deeper near the pier [].",
        "Methods",
    ]
    assert _restored(html, blocks) == [
        "Background",
        "Tides in the bay rise faster than the charts say [1, 2], and the old "
        "harbour floods twice a year [3].",
        "Earlier surveys",
        "Divers measured the silt by hand in the spring of each year [4], and "
        "found it deeper near the pier [5].",
        "Methods",
    ]


def test_a_paragraph_the_body_wrote_another_way_is_read_as_the_page_writes_it() -> None:
    """A lone body paragraph between two placed blocks whose one near copy sits
    between their places on the page is that paragraph: it is read with its
    citation marks, and the stretch around it gets its heading back."""
    html = (
        "<h2>Background</h2>"
        "<h3>The bay</h3>"
        "<p>Tides in the bay rise faster than the charts say [1, 2], and the old "
        "harbour floods twice a year [3].</p>"
        "<h2>Methods</h2>"
    )
    blocks = [
        "Background",
        "Tides in the bay rise faster than the charts say [], and the old harbour "
        "floods twice a year [].",
        "Methods",
    ]
    assert _restored(html, blocks) == [
        "Background",
        "The bay",
        "Tides in the bay rise faster than the charts say [1, 2], and the old "
        "harbour floods twice a year [3].",
        "Methods",
    ]


def test_pictures_keep_their_place_when_blocks_are_put_back() -> None:
    """Picture positions count the restored blocks before them."""
    from cupure.extract.article import _restore_structure

    tree = lxml_html.document_fromstring(
        "<html><body><p>One.</p><h2>Two</h2><p>Three.</p><p>Four.</p></body></html>"
    )
    body = Body(blocks=["One.", "Three.", "Four."], images=[("a.jpg", 2), ("b.jpg", 3)])
    restored = _restore_structure(body, tree)
    assert restored.blocks == ["One.", "Two", "Three.", "Four."]
    assert restored.images == [("a.jpg", 3), ("b.jpg", 4)]


def test_page_without_article_container_keeps_its_subheadings_and_lists() -> None:
    """trafilatura reads a page with no article container as loose paragraphs; the
    subheadings and list items between them are put back in place."""

    def paragraphs(count: int, name: str) -> str:
        return "".join(
            f"<p>{name} paragraph {n} explains the matter at some length, with "
            "enough words to read as article text.</p>"
            for n in range(count)
        )

    html = (
        "<html><head><title>Why small languages struggle</title></head><body>"
        "<div class='top-bar'><a href='/'>Home</a> <a href='/essays'>Essays</a></div>"
        "<div class='post-area'><h1>Why small languages struggle</h1>"
        + paragraphs(3, "Opening")
        + "<h2>Big languages grow</h2><ul><li>Many companies use them</li>"
        "<li>Many people learn them</li></ul>"
        + paragraphs(3, "Closing")
        + "</div></body></html>"
    )
    article = extract_article(html, url="https://essays.example/small-languages")
    assert article.paragraphs[3:6] == (
        "Big languages grow",
        "Many companies use them",
        "Many people learn them",
    )
    assert len(article.paragraphs) == 9
    assert "Home" not in article.text


def test_a_newsletter_form_is_pruned_but_not_a_wrapper_named_for_newsletters() -> None:
    """A sign-up box (named for a newsletter, holding a form field) is furniture; an
    element so named without a form field may be the article's own wrapper."""
    from cupure.extract.article import _prune_boilerplate

    story = "<p>" + "The ferry to Varnholm runs twice a day in winter. " * 20 + "</p>"
    tree = lxml_html.document_fromstring(
        "<html><body><main>" + story + "<div class='nl-signup'><p>The best of "
        "Varnholm in your inbox.</p><input type='email'></div>"
        "<p class='newsletter-note'>Read last week's letter online.</p>"
        "</main></body></html>"
    )
    _prune_boilerplate(tree)
    assert "inbox" not in tree.text_content()
    assert "last week's letter" in tree.text_content()
    assert "twice a day" in tree.text_content()


def test_table_cells_read_as_loose_paragraphs_are_joined_back_into_rows() -> None:
    """A run of body blocks that are a table's cells in order (trafilatura reads
    <td><p>…</p></td> as loose paragraphs) becomes one block per row; cells that
    appear in the body out of order are left alone."""
    from cupure.extract.article import _regroup_table_cells

    tree = lxml_html.document_fromstring(
        "<html><body><p>Fares this winter:</p><table>"
        "<tr><th><p>Route</p></th><th><p>Fare</p></th></tr>"
        "<tr><td><p>North pier</p></td><td><p>4 crowns</p></td></tr>"
        "<tr><td><p>Old town</p></td><td><p>6 crowns</p></td></tr>"
        "</table></body></html>"
    )
    cells = ["Route", "Fare", "North pier", "4 crowns", "Old town", "6 crowns"]
    body = Body(blocks=["Fares this winter:", *cells], images=[("map.png", 7)])
    regrouped = _regroup_table_cells(body, tree)
    assert regrouped.blocks == [
        "Fares this winter:",
        "Route | Fare",
        "North pier | 4 crowns",
        "Old town | 6 crowns",
    ]
    assert regrouped.images == [("map.png", 4)]
    shuffled = Body(blocks=["Fare", "Route", "North pier", "4 crowns"])
    assert _regroup_table_cells(shuffled, tree).blocks == shuffled.blocks


def test_an_article_written_after_the_documents_end_is_read() -> None:
    """A broken theme closes the document after its header ("</body></html>") and
    writes the article, its JSON-LD and its byline after that; a browser shows them
    as the body, and so must the extractor (libxml2 hangs them beside the root)."""
    story = [
        "The harbour ferry to Kessel island resumes its winter timetable on Monday,"
        " the operator said after a week of repairs to the north pier.",
        "Crossings leave every forty minutes from six in the morning, and the last"
        " boat back now sails at eleven at night instead of ten.",
        "Season tickets bought for the autumn stay valid until the end of March,"
        " and holders can ride the new late boat at no extra charge.",
    ]
    html = (
        "<!DOCTYPE html><html><head><title>Ferry resumes winter timetable"
        "</title></head><body><header><a href='/'>Harbour Post</a>"
        "<nav><a href='/news'>News</a> <a href='/sport'>Sport</a></nav></header>"
        "</body></html>\n"
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Ferry resumes winter timetable",'
        ' "datePublished": "2025-11-03T08:00:00Z",'
        ' "author": {"@type": "Person", "name": "Ines Varga"}}</script>'
        "<main><article><h1>Ferry resumes winter timetable</h1>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in story)
        + "</article></main><footer>© Harbour Post</footer>"
    )
    article = extract_article(html, url="https://harbourpost.example/ferry")
    assert article.title == "Ferry resumes winter timetable"
    assert list(article.paragraphs) == story
    assert article.byline == "Ines Varga"
    assert article.published == datetime(2025, 11, 3, 8, tzinfo=UTC)


def test_an_article_after_a_header_with_an_unclosed_element_is_read_whole() -> None:
    """A theme leaves its search box's <div> open and closes the header: a browser
    closes the <div> at </header> and shows the article after the header; libxml2
    ignored the </header> and put the article inside it (on WCXB 0269 every
    subheading was then lost as page furniture)."""
    sections = [
        ("Timetable", "Crossings leave every forty minutes from six in the morning"),
        ("Tickets", "Season tickets bought for the autumn stay valid until March"),
        ("Repairs", "The north pier reopened after a week of work on its pilings"),
    ]
    body = "\n".join(
        f"<h2>{heading}</h2>\n<p>{text}, the operator said on Monday, and the "
        "ferry company confirmed it in a statement to passengers.</p>"
        for heading, text in sections
    )
    html = (
        "<!DOCTYPE html><html><head><title>Ferry resumes winter timetable</title>"
        "</head><body>\n<section class='top'>\n<header>\n"
        "<nav><a href='/news'>News</a> <a href='/sport'>Sport</a></nav>\n"
        "<div class='search'>\n<form><input name='q'></form>\n"
        "</header>\n</section>\n<section class='content'>\n<div class='col'>\n"
        f"<h1>Ferry resumes winter timetable</h1>\n{body}\n"
        "</div>\n</section>\n<footer>© Harbour Post</footer>\n</body></html>"
    )
    tree = _parse(html)
    assert [a.tag for a in tree.find(".//h1").iterancestors()] == [
        "div",
        "section",
        "body",
        "html",
    ]
    article = extract_article(html, url="https://harbourpost.example/ferry")
    assert list(article.paragraphs) == [
        block
        for heading, text in sections
        for block in (
            heading,
            f"{text}, the operator said on Monday, and the ferry company "
            "confirmed it in a statement to passengers.",
        )
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # </header> closes the <div> left open in it; </li> and </ul> too.
        (
            "<body><header>\n<div>search\n</header>\n<p>story</p></body>",
            "<body><header>\n<div>search\n</div></header><p>story</p></body>",
        ),
        (
            "<body><ul><li>\n<div>one\n</li>\n</ul>\n<p>after</p></body>",
            "<body><ul><li>\n<div>one\n</div></li></ul><p>after</p></body>",
        ),
        # A table cell between: a browser ignores that end tag as well.
        (
            "<body><aside><table><tr><td>\n<div>x\n</aside>\n<p>y</p>"
            "</td></tr></table></aside></body>",
            None,
        ),
    ],
)
def test_end_tags_libxml2_ignores_close_what_is_open_as_in_a_browser(
    html: str, expected: str | None
) -> None:
    parser = lxml_html.HTMLParser()
    root = lxml_html.document_fromstring(html, parser=parser)
    before = etree.tostring(root.find("body"), encoding="unicode")
    close_ignored_end_tags(root, parser.error_log)
    after = etree.tostring(root.find("body"), encoding="unicode")
    assert after.replace("\n", "") == (expected or before).replace("\n", "")
    assert (after != before) == (expected is not None)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A footnote's number glued to the word before it goes, with its <sup>.
        (
            'to Siemens.<sup><a href="#fn1">1</a></sup> By walking',
            "to Siemens. By walking",
        ),
        (
            'to Siemens.<span><a class="footnote-anchor" '
            'href="https://harbourpost.example/ferry#footnote-1">1</a></span> By',
            "to Siemens. By",
        ),
        # A citation in brackets reads as one; a number linking to a section of the
        # page is not a note; a link's own text stays.
        (
            'attempts [<span><a href="#ref11" rel="footnote">11</a></span>], which',
            "attempts [11], which",
        ),
        (
            'studies [<a href="#ref4">4</a>,<a href="#ref5">5</a>] show',
            "studies [4,5] show",
        ),
        ('see part <a href="#part-2">2</a> below', "see part 2 below"),
        ('see <a href="#fn-note">the note</a> below', "see the note below"),
    ],
)
def test_footnote_numbers_are_left_out_of_the_text(
    sentence: str, expected: str
) -> None:
    filler = (
        "The harbour ferry to Kessel island resumes its winter timetable on Monday,"
        " the operator said after a week of repairs to the north pier. "
    )
    html = (
        "<html><head><title>Ferry resumes</title></head><body><article>"
        f"<h1>Ferry resumes</h1><p>{filler * 3}</p><p>The work went {sentence} the "
        f"pier.</p><p>{filler * 2}</p></article></body></html>"
    )
    article = extract_article(html, url="https://harbourpost.example/ferry")
    assert article.paragraphs[1] == f"The work went {expected} the pier."


def test_a_sub_list_a_list_item_introduces_with_a_colon_is_kept() -> None:
    """ "Buying options:" in a list item, the stores linked in the sub-list under
    it: the stores are the item's content, not navigation, and without them the
    line dangles. A list of links without such a line stays out."""
    styled = '<p class="Text__P">'

    def tool(number: int, name: str) -> str:
        return (
            f"<h3>{number}. {name}</h3>{styled}{name} are a staple on any "
            "electrician’s tool belt, used for cutting, gripping, twisting and "
            f"bending wires on every job.</p><ul><li>{styled}<b>Plan to spend: </b>"
            f"$15–$70</p></li><li>{styled}<b>Buying options:</b></p><ul>"
            f'<li>{styled}<a href="https://shop.example/{number}">Shop One ({name})'
            f'</a></p></li><li>{styled}<a href="https://store.example/{number}">'
            f"Store Two ({name})</a></p></li></ul></li></ul>"
        )

    names = ["Pliers", "Wire strippers", "Multimeters", "Fish tape"]
    html = (
        "<html><head><title>Electrician tools</title></head><body><main><article>"
        f"<h1>The best electrician tools</h1>{styled}Electricians need specialist "
        "tools to do their job safely, and this guide reviews the ones we trust.</p>"
        + "".join(tool(number, name) for number, name in enumerate(names, 1))
        + '<ul class="related"><li><a href="/a">Best drills</a></li>'
        '<li><a href="/b">Best ladders</a></li></ul></article></main></body></html>'
    )
    article = extract_article(html, url="https://tools.example/guide")
    for name in names[:3]:  # (the last tool's stores end the stretch read)
        at = article.paragraphs.index(f"Shop One ({name})")
        assert article.paragraphs[at - 1 : at + 2] == (
            "Buying options:",
            f"Shop One ({name})",
            f"Store Two ({name})",
        )
    assert "Best drills" not in article.paragraphs


def test_streamed_sections_are_read_in_their_place_without_their_fallback() -> None:
    """React's streaming server rendering sends a placeholder and a "Loading…"
    fallback where a section goes, and the section itself at the end of the body in
    a hidden <div>; the browser's script moves it into place. The extractor reads
    it where the reader sees it, nested sections too, and never the fallback."""
    first = (
        "The city's night buses will run every fifteen minutes from January, the"
        " transport board decided on Tuesday after a year of complaints."
    )
    streamed = [
        "Which routes change",
        "Lines N1 and N4 get the new timetable first, because they carry most of"
        " the late shift workers from the hospital and the port.",
        "The other night lines follow in March, once twelve more drivers have"
        " finished their training at the depot in Kessel.",
    ]
    last = (
        "Tickets keep their price, and the board said it would report on the"
        " first months of the new timetable in the summer."
    )
    html = (
        "<html><head><title>Night buses every fifteen minutes</title></head><body>"
        "<main><article><h1>Night buses every fifteen minutes</h1>"
        f"<p>{first}</p>"
        '<!--$?--><template id="B:0"></template>'
        "<div>Loading <!-- -->section<!-- -->...</div><!--/$-->"
        f"<p>{last}</p></article></main><footer>© City Post</footer>"
        f'<div hidden id="S:0"><h2>{streamed[0]}</h2><p>{streamed[1]}</p>'
        '<!--$?--><template id="B:1"></template><p>Loading…</p><!--/$--></div>'
        '<script>$RC("B:0","S:0")</script>'
        f'<div hidden id="S:1"><p>{streamed[2]}</p></div>'
        '<script>$RC("B:1","S:1")</script></body></html>'
    )
    article = extract_article(html, url="https://citypost.example/night-buses")
    assert list(article.paragraphs) == [first, *streamed, last]
    assert "Loading" not in article.text


def test_a_streamed_section_without_a_closing_comment_drops_nothing_after_it() -> None:
    """Where a placeholder's boundary is never closed, there is no telling where
    its fallback ends: the section goes in its place and everything after the
    placeholder stays (only a fallback up to ``<!--/$-->`` is dropped)."""
    opening = (
        "Ferry crossings to Kessel island are cancelled until Friday while divers"
        " inspect the damaged north pier, the harbour authority said."
    )
    streamed = (
        "Passengers with season tickets can take the coastal bus to Marn instead,"
        " where a temporary landing stage opens on Wednesday."
    )
    after = (
        "The authority expects the pier to reopen next week if the divers find no"
        " damage below the waterline."
    )
    html = (
        "<html><head><title>Kessel ferry cancelled</title></head><body><main>"
        f"<article><h1>Kessel ferry cancelled</h1><p>{opening}</p>"
        f'<!--$?--><template id="B:0"></template><p>{after}</p></article></main>'
        f'<div hidden id="S:0"><p>{streamed}</p></div></body></html>'
    )
    article = extract_article(html, url="https://harbourpost.example/kessel")
    assert list(article.paragraphs) == [opening, streamed, after]


def test_a_related_box_after_the_article_is_dropped_with_its_heading() -> None:
    """A "Related articles" heading the body holds goes with the teasers under it in
    its box; an "About the author" heading whose box holds nothing else stays, as
    the text after it is outside the box."""
    from cupure.extract.article import _restore_structure

    text = [
        f"Paragraph {n} of the story about the harbour ferry, long enough to read."
        for n in range(3)
    ]
    teasers = ["Lighthouse keepers return to Varnholm.", "A new bakery on Pier 9."]
    tree = lxml_html.document_fromstring(
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in text[:2])
        + "<div class='box'><h3>About the author</h3></div>"
        + f"<p>{text[2]}</p></article><section class='more'><div class='head'>"
        "<h2>Related articles</h2></div><div class='cards'>"
        + "".join(f"<p>{t}</p>" for t in teasers)
        + "</div></section></body></html>"
    )
    blocks = [*text[:2], "About the author", text[2], "Related articles", *teasers]
    body = Body(blocks=blocks, images=[("map.png", 3), ("card.png", 5)])
    kept = _restore_structure(body, tree)
    assert kept.blocks == [*text[:2], "About the author", text[2]]
    assert kept.images == [("map.png", 3), ("card.png", 4)]


def test_pictures_are_matched_by_key_not_pair_by_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page of a thousand captioned pictures: each picture's key is computed a
    few times, not once per pair of pictures (5,000 pictures took 56 s)."""
    from cupure.extract import article as article_module

    pictures = 1000
    figures = "".join(
        f"<figure><img src='/img/p{i}.jpg'><figcaption>Quay {i}. Photo: Kai Ek"
        "</figcaption></figure>"
        for i in range(pictures)
    )
    paragraph = "<p>" + "The harbour reopened to ships after the storm passed. " * 3
    html = (
        f"<html><body><article><h1>Harbour</h1>{paragraph}</p>{figures}"
        f"{paragraph}again.</p></article></body></html>"
    )
    calls = 0
    original = article_module.image_key

    def counted(url: str) -> str:
        nonlocal calls
        calls += 1
        return original(url)

    monkeypatch.setattr(article_module, "image_key", counted)
    extracted = extract_article(html, url="https://port.example/news/harbour")
    assert extracted.lead_image is None
    assert len(extracted.figures) == pictures
    assert extracted.figures[-1] == Figure(
        src="https://port.example/img/p999.jpg",
        caption="Quay 999.",
        credit="Photo: Kai Ek",
        position=1,
    )
    assert calls < 10 * pictures


def test_a_standfirst_under_the_headline_is_kept_apart_but_not_a_whole_text() -> None:
    """The line under the headline that the description repeats is the standfirst,
    even where the body left it out; a description that is the whole article
    pasted in is no standfirst."""
    texts = [
        f"Paragraph {n} tells how the ferry company rebuilt the pier and what "
        "the passengers made of the new timetable this winter."
        for n in range(6)
    ]
    paragraphs = "\n".join(f"<p>{text}</p>" for text in texts)
    dek = "Passengers wait longer, but the boats are warm."

    def page(description: str) -> str:
        return (
            f'<html><head><meta name="description" content="{description}">'
            "<title>Pier rebuilt | Harbour Post</title></head><body>"
            "<header><h1>Pier rebuilt</h1>"
            f"<div class='dek'><span>{dek}</span></div>"
            "<p class='byline'>By Mara Quist</p></header>"
            f"<article>{paragraphs}</article></body></html>"
        )

    article = extract_article(page(dek), url="https://post.example/pier")
    assert article.standfirst == dek
    assert article.sources["standfirst"] in ("body:description", "page:description")
    assert dek not in article.text
    whole = extract_article(page(" ".join(texts)), url="https://post.example/pier")
    assert whole.standfirst == ""
    assert list(whole.paragraphs) == texts

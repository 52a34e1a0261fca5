"""Tests for cupure.extract.bylines and the byline and title parts of extraction."""

from __future__ import annotations

import time

import pytest
from lxml import html as lxml_html

from cupure.extract import bylines, extract_article, metadata
from cupure.extract.bylines import (
    author_elements,
    choose_byline,
    labelled_authors,
    written_byline,
)
from cupure.extract.metadata import PageMetadata, clean_byline

PARAGRAPHS = (
    "<p>The ferry company froze its fares for the winter season again. </p>" * 4
)


def page(head: str = "", byline: str = "", headline: str = "Ferry fares frozen") -> str:
    return (
        f"<html><head><title>{headline} | Harbour Post</title>"
        '<meta property="og:site_name" content="Harbour Post">'
        f"{head}</head><body><article><h1>{headline}</h1>{byline}{PARAGRAPHS}"
        "</article></body></html>"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Shelby Loos Reviewed by Molly Price", "Shelby Loos"),
        ("Brett Cruz, Privacy, Digital Security Expert", "Brett Cruz"),
        (
            "Craig Randall, Alli Miles and Eszter Horanyi",
            "Craig Randall, Alli Miles, Eszter Horanyi",
        ),
        ("Mateusz Haberny Founder", "Mateusz Haberny"),
        ("Article by Ann Lee", "Ann Lee"),
        ("Updated", ""),
        ("Text by Ann Lee", "Ann Lee"),
        ("View all posts by Ann Lee", "Ann Lee"),
        ("03/10/2023 by Ann Lee", "Ann Lee"),
        ("Ann Lee on 04-ago-2021 5:11:10", "Ann Lee"),
        ("Ann Lee Former Harbour Post", "Ann Lee"),
        ("Ann Lee https://annlee.example", "Ann Lee"),
        ("https://annlee.example", ""),
        # A web address spelt as words, as trafilatura reads one.
        ("Www Social Example Com; Ann Lee", "Ann Lee"),
        ("HarbourPost com", ""),
        ("page.head.extra.author", ""),
        ("J.R.R. Tolkien", "J.R.R. Tolkien"),
        ("About the Author", ""),
        ("View more posts", ""),
        # First names alone, when the byline starts with one.
        ("Mira and Tom", "Mira, Tom"),
        # A beat after a full name is still no name.
        ("Ann Lee Writer; Gadgets", "Ann Lee"),
        # A job title of two joined with "&" goes whole, its first half too.
        ("Ann Lee, Certified Baker & Bread Educator", "Ann Lee"),
        ("Ann Lee, Bo Ek & Cy Ng", "Ann Lee, Bo Ek, Cy Ng"),
    ],
)
def test_clean_byline_people(raw: str, expected: str) -> None:
    """Reviewers, beats, job titles, labels, dates, web addresses and template keys
    go; several people stay, in order."""
    assert clean_byline(raw) == expected


def test_written_byline_under_the_headline() -> None:
    """ "By" names under the headline are read, each name stopping at its element."""
    article = extract_article(
        page(
            byline="<p class='meta'>By <a href='/ann'>Ann Lee</a> and Bo Ek</p>"
            "<p>Harbour desk</p>"
        ),
        url="https://harbour.example/ferry",
    )
    assert article.byline == "Ann Lee, Bo Ek"
    assert article.sources["byline"] == "byline:text"


def test_one_word_after_by_is_no_byline() -> None:
    """ "Shop by City" under the headline names no one; a later "By Ann Lee" does."""
    article = extract_article(
        page(byline="<p>Shop by City</p><p>By Ann Lee</p>"),
        url="https://harbour.example/ferry",
    )
    assert article.byline == "Ann Lee"
    assert written_byline("Shop by City") == ""


def test_organisation_author_is_the_credit_not_a_person() -> None:
    """A JSON-LD Organization author and a "Staff" name are the credit."""
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '[{"@type": "Organization", "name": "Harbour Wire"}]}</script>'
        '<meta name="author" content="Harbour Post Staff">'
    )
    article = extract_article(page(head=ld), url="https://harbour.example/ferry")
    assert article.byline == ""
    assert article.credit == "Harbour Wire"


def test_site_name_alone_is_never_the_title() -> None:
    """An <h1> naming the site is not the headline; the declared title is, without
    its site suffix."""
    html = page(headline="Harbour Post").replace(
        "<title>Harbour Post | Harbour Post</title>",
        "<title>Ferry fares frozen for winter | Harbour Post</title>",
    )
    article = extract_article(html, url="https://harbour.example/ferry")
    assert article.title == "Ferry fares frozen for winter"
    assert article.sources["title"] == "title"


def test_label_before_the_headline_is_dropped() -> None:
    """An <h1> that is the declared title after a label gives way to that title."""
    html = page(
        head='<meta property="og:title" content="Ferry fares frozen for winter">',
        headline="Blog: Ferry fares frozen for winter",
    )
    article = extract_article(html, url="https://harbour.example/ferry")
    assert article.title == "Ferry fares frozen for winter"
    assert article.sources["title"] == "og:title (inside h1)"


def test_title_is_never_the_site_name_alone() -> None:
    """When every declared title is the site's name, the <h1> is the headline."""
    html = (
        "<html><head><title>Harbour Post</title>"
        '<meta property="og:title" content="Harbour Post">'
        '<meta property="og:site_name" content="Harbour Post"></head><body><article>'
        f"<h1>Ferries run late all week</h1>{PARAGRAPHS}</article></body></html>"
    )
    article = extract_article(html, url="https://harbourpost.example/ferry")
    assert article.title == "Ferries run late all week"


def test_name_next_to_the_date_under_the_headline() -> None:
    """A name alone on the line beside the date line is the byline; a heading
    there without a date beside it is not."""
    article = extract_article(
        page(byline="<div><span>Dec 26, 2025</span></div><div>Mahua Das in</div>"),
        url="https://harbour.example/ferry",
    )
    assert article.byline == "Mahua Das"
    assert article.sources["byline"] == "byline:name-line"
    undated = extract_article(
        page(byline="<div>Quick Insight</div>"), url="https://harbour.example/ferry"
    )
    assert undated.byline == ""


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # Label on its own line, the name in a list under it.
        (
            "<div>Written by:<ul><li><a href='/e'>Emily Walker</a></li></ul></div>",
            "Emily Walker",
        ),
        # Name, job title and date on one line.
        ("<p>Aaron Ricadela | Senior Writer | July 2, 2025</p>", "Aaron Ricadela"),
        # The date right after the name is not part of it.
        ("<p>By Jonathan Sayers Jan. 31, 2026 7:47 am EST</p>", "Jonathan Sayers"),
        # The space between two inline elements keeps a job title off the name.
        (
            "<div>Written by: <a href='/s'>Shivkumar Menon</a> <span><b>Head of "
            "Product</b></span></div>",
            "Shivkumar Menon",
        ),
    ],
)
def test_bylines_as_pages_write_them(byline: str, expected: str) -> None:
    article = extract_article(page(byline=byline), url="https://harbour.example/f")
    assert article.byline == expected


def test_site_name_after_the_reporter_is_cut() -> None:
    """ "Ann Lee Harbour Post" (the publication printed after the reporter) is
    the person Ann Lee; a name ending in a word of the site's name stays."""
    article = extract_article(
        page(byline="<p class='byline'>Ann Lee Harbour Post</p>"),
        url="https://harbour.example/ferry",
    )
    assert article.byline == "Ann Lee"
    personal = extract_article(
        page(byline="<p class='byline'>Ann Lee Post</p>"),
        url="https://harbour.example/ferry",
    )
    assert personal.byline == "Ann Lee Post"


def test_the_host_names_the_site() -> None:
    """With no declared site name, the host ("www.harbourpost.example") names the
    site: a publication listed among the JSON-LD authors is the credit."""
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Ann Lee and Bo Ek, The Harbour Post"}}'
        "</script>"
    )
    html = page(head=ld).replace(
        '<meta property="og:site_name" content="Harbour Post">', ""
    )
    article = extract_article(html, url="https://www.harbourpost.example/ferry")
    assert article.byline == "Ann Lee, Bo Ek"


def test_a_subdomain_host_names_the_site_by_its_brand() -> None:
    """On "guides.kelphub.example" (site "KelpHub Guides") a JSON-LD "Person"
    named "KelpHub", the logo's word, is the site's brand: the credit, not a
    person."""
    html = (
        "<html><head><title>Ferry fares frozen</title>"
        '<meta property="og:site_name" content="KelpHub Guides">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "KelpHub"}}</script>'
        "</head><body><header>KelpHub</header><article>"
        f"<h1>Ferry fares frozen</h1>{PARAGRAPHS}</article></body></html>"
    )
    article = extract_article(html, url="https://guides.kelphub.example/ferry")
    assert (article.byline, article.credit) == ("", "KelpHub")


def test_a_declared_organisation_is_not_replaced_by_a_guess() -> None:
    """When the metadata names a team as the author, a name in a related-story
    card ("author" class) is not taken for the article's person."""
    card = "<div class='story-author'>Bo Ek</div>"
    article = extract_article(
        page(head='<meta name="author" content="Harbour Ferry Team">', byline=card),
        url="https://harbour.example/ferry",
    )
    assert article.byline == ""
    assert article.credit == "Harbour Ferry Team"


def test_the_site_as_declared_author_still_lets_a_person_be_found() -> None:
    """A CMS that fills the author with the site's own name says nothing about who
    wrote the piece: the page's author element still names the person."""
    article = extract_article(
        page(
            head='<meta name="author" content="Harbour Post">',
            byline="<div class='post-author'>Bo Ek</div>",
        ),
        url="https://harbour.example/ferry",
    )
    assert article.byline == "Bo Ek"
    assert article.credit == "Harbour Post"


def test_an_organisation_name_with_and_is_one_credit() -> None:
    """A JSON-LD Organization author is one name, "and" included."""
    ld = (
        '<script type="application/ld+json">{"@type": "Article", "author": '
        '{"@type": "Organization", "name": "Centre for Ports and Ferries"}}'
        "</script>"
    )
    article = extract_article(page(head=ld), url="https://harbour.example/ferry")
    assert article.credit == "Centre for Ports and Ferries"
    assert article.byline == ""


def test_a_written_byline_naming_a_team_is_the_credit() -> None:
    """ "By The Harbour Desk Team" under the headline credits the team (a leading
    "The" is no page furniture there)."""
    article = extract_article(
        page(byline="<p>By</p><p>The Harbour Desk Team</p>"),
        url="https://harbour.example/ferry",
    )
    assert article.credit == "The Harbour Desk Team"
    assert article.sources["credit"] == "byline:text"


def test_twitter_card_written_by() -> None:
    """SEO plugins put the author in the Twitter card's "Written by" field; other
    card fields ("Est. reading time") are no author."""
    head = (
        '<meta name="twitter:label1" content="Est. reading time">'
        '<meta name="twitter:data1" content="4 minutes">'
        '<meta name="twitter:label2" content="Written by">'
        '<meta name="twitter:data2" content="Ann Lee">'
    )
    article = extract_article(page(head=head), url="https://harbour.example/ferry")
    assert article.byline == "Ann Lee"
    assert article.sources["byline"] == "meta:twitter:data"
    timing = head.replace("Written by", "Reading level")
    undated = extract_article(page(head=timing), url="https://harbour.example/ferry")
    assert undated.byline == ""


def test_article_author_meta_names_or_links() -> None:
    """An OpenGraph article:author holding a name is the author; one holding a
    profile link is not read."""
    named = '<meta property="article:author" content="Ann Lee">'
    article = extract_article(page(head=named), url="https://harbour.example/ferry")
    assert article.byline == "Ann Lee"
    assert article.sources["byline"] == "meta:article:author"
    linked = '<meta property="article:author" content="https://social.example/ann">'
    article = extract_article(page(head=linked), url="https://harbour.example/ferry")
    assert article.byline == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A reviewer or a photographer named before the author is skipped.
        (
            "Medically reviewed by Kay Moss — Written by Ann Lee — Updated",
            "Ann Lee",
        ),
        ("Photos by Kay Moss\nBy Ann Lee", "Ann Lee"),
        # A sentence's "by" names someone the article is about.
        ("I tried a new tool by Ola Berg (via a friend)", ""),
        # Far into a sentence, even a label's word before "by" is the sentence's:
        # the byline is the line under it.
        (
            "Short on time this week? Try the five suppers in this plan created "
            "by Harbour Kitchen Cook Mira. Shop once.\nBy\nMira Olsen",
            "Mira Olsen",
        ),
        # A label before a lower-case "by" keeps it a byline.
        ("This post was written by Ann Lee, a nurse.", "Ann Lee"),
        # A particle is a whole word ("der", not "de" and an "r").
        ("By Ann van der Berg", "Ann van der Berg"),
        ("By Dr Marna van der Merwe and Bo Ek", "Dr Marna van der Merwe and Bo Ek"),
        ("Travel | by Ann Lee", "Ann Lee"),
        ("Authors: Ann Lee, Bo Ek", "Ann Lee, Bo Ek"),
        # A shop's sort and filter controls and a software credit are no byline.
        ("12 items\nSort By\nBest Match\nLowest Priced", ""),
        ("Sort By:\nSort By:\nFeatured", ""),
        ("Filter By Brand Name", ""),
        ("Powered By Harbour Press", ""),
    ],
)
def test_written_byline_reads_who_wrote(text: str, expected: str) -> None:
    assert written_byline(text) == expected


STANDFIRST = (
    "<p class='dek'>" + "The harbour board met again to talk fares. " * 9 + "</p>"
)


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # Below a long standfirst and the lead picture, beyond the text read under
        # the headline.
        (
            f"{STANDFIRST}<figure><img src='/a.jpg'><figcaption>By Kay Moss"
            "</figcaption></figure><div>By <a href='/u/ann'>Ann Lee</a> · Review "
            "Editor · Updated March 5, 2025</div>",
            "Ann Lee",
        ),
        # The label and the name in elements of their own.
        (f"{STANDFIRST}<div><span>By</span><span>Ann Lee</span></div>", "Ann Lee"),
        # The name ends with its link.
        (
            f"{STANDFIRST}<p>By <a href='/c/ann'>Ann Lee</a> Read The Print Issue</p>",
            "Ann Lee",
        ),
        # A book's "by" after its title is no byline.
        (f"{STANDFIRST}<p><em>Salt Roads</em> by Ida Varn (June 2nd)</p>", ""),
        # The link to the author's archive names the author.
        (
            f"{STANDFIRST}<div><p>Ann Lee</p><a href='/authors/ann-lee'><span>All "
            "articles by Ann Lee</span></a></div>",
            "Ann Lee",
        ),
        (f"{STANDFIRST}<p><a href='/ann'>More stories by Ann Lee</a></p>", "Ann Lee"),
        # An author's box saying it in a sentence, the job title after the name.
        (
            f"{STANDFIRST}<div class='author-bio'>This post was written by Ann Lee, "
            "Head of Marketing and Community Development</div>",
            "Ann Lee",
        ),
        (
            f"{STANDFIRST}<p>The article was authored by Ann Lee and Bo Ek.</p>",
            "Ann Lee, Bo Ek",
        ),
        # A long "By" line that lists people only.
        (
            f"{STANDFIRST}<div>Written by <span>Dr Marna van der Merwe</span>, "
            "<span>Dr Dieter Veldsman</span>, <span>Erik van Vulpen</span></div>",
            "Dr Marna van der Merwe, Dr Dieter Veldsman, Erik van Vulpen",
        ),
        # A sentence that is not about this piece.
        (f"{STANDFIRST}<p>His first novel was written by Ann Lee.</p>", ""),
        # Under the headline, read as one line, the name runs into the job title
        # in the next element; the "By" element ends the name with its link.
        (
            "<div><span>Written By:</span> <span><a href='/author/ann-lee'>Ann Lee"
            "</a></span> <span>Gardener &amp; Astrologer</span></div>"
            "<p>February 12, 2026</p>",
            "Ann Lee",
        ),
        # Menus, related-story cards and captions carry no byline of the article.
        (
            f"{STANDFIRST}<div class='dropdown-menu'><p>BY FLEET SIZE</p></div>"
            "<div class='related-card'><p>By Bo Ek</p></div>",
            "",
        ),
    ],
)
def test_by_line_anywhere_on_the_page(byline: str, expected: str) -> None:
    article = extract_article(page(byline=byline), url="https://harbour.example/f")
    assert article.byline == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # A job title under the name marks the byline; it is never the name.
        ("<div>Ann Lee</div><div>Staff Writer</div>", "Ann Lee"),
        (
            "<div>Notes from</div><div>Ann Lee</div><div>Sales Director</div>"
            "<div>May 9, 2025</div>",
            "Ann Lee",
        ),
        # A date line whose date is not written out.
        ("<div>Ann Lee</div><div>Last Updated:</div>", "Ann Lee"),
        # A tag between the name and the date line.
        (
            "<div>Ann Lee</div><div>#Ferries</div><div>Published on Mar 3, 2025</div>",
            "Ann Lee",
        ),
        # Two capitalised words with neither a date line nor a job title near.
        ("<div>Quick Insight</div><div>Ferries ran late.</div>", ""),
        # "Posted under" names the section, not the date: the breadcrumb's last
        # item above it is no name.
        (
            "<ul><li><a href='/'>HOME</a></li><li><a href='/r'>FERRY NEWS</a></li>"
            "<li><a href='/r/f'>WINTER FARE FREEZE</a></li></ul>"
            "<div>Posted under <a href='/c'>Car Ferries</a></div>",
            "",
        ),
        # Names each followed by degrees, without "By": the authors.
        (
            "<div>Ann Lee, DVM, DACVB; Bo Ek, PhD &amp; Cy Ng, MD, MPH</div>",
            "Ann Lee, Bo Ek, Cy Ng",
        ),
        # A place and its state's code is no author.
        ("<div>Silver Spring, MD</div>", ""),
        # Tag links run together beside the date: no name.
        (
            "<div><a href='/t/d'>Digital Organization</a><a href='/t/o'>Office</a>"
            "<a href='/t/p'>OrganizingPapers</a></div><div>June 5th, 2025</div>",
            "",
        ),
    ],
)
def test_name_lines_beside_a_date_or_a_job_title(byline: str, expected: str) -> None:
    article = extract_article(page(byline=byline), url="https://harbour.example/f")
    assert article.byline == expected


BIO = "Ann writes about ports, ferries and the people who run them every day."


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        # An author box: the name first, then the biography.
        (
            f"<div class='post-author-box'><div>Ann Lee</div><p>{BIO}</p></div>",
            "Ann Lee",
        ),
        # A heading first is no name.
        (
            f"<div class='post-author-box'><h3>Author Corner</h3><p>{BIO}</p></div>",
            "",
        ),
        # Nor is a sentence.
        (f"<div class='post-author-box'><p>{BIO}</p></div>", ""),
    ],
)
def test_author_box_names_its_author_first(box: str, expected: str) -> None:
    html = page(byline=f"{STANDFIRST}{box}")
    article = extract_article(html, url="https://harbour.example/f")
    assert article.byline == expected


def test_a_page_builders_widget_wrappers_hide_no_byline() -> None:
    """Elementor wraps every block of the article in "elementor-widget-…"
    containers: a "Written by" heading at the foot of the text is the byline, not
    a sidebar widget's."""
    block = (
        "<div class='elementor-widget elementor-widget-text-editor'>"
        "<div class='elementor-widget-container'>{}</div></div>"
    )
    foot = block.format(f"<h3>Written by Ann Lee</h3><p>{BIO}</p>")
    html = page().replace("</article>", f"{PARAGRAPHS * 4}{foot}</article>")
    article = extract_article(html, url="https://harbour.example/f")
    assert article.byline == "Ann Lee"


def test_an_author_box_under_a_reviewer_label_is_the_reviewer() -> None:
    """ "Reviewed by," and then an author box: the box shows the reviewer; the
    declared author stands."""
    box = (
        "<p>Reviewed by,</p><div class='author-box'><a href='/kay'><img src='k.jpg'"
        " alt=''></a><div class='author-box__text'><h4 class='author-box__name'>"
        f"Kay Moss</h4><p>{BIO}</p></div></div>"
    )
    html = page(head='<meta name="author" content="Ann Lee">', byline=box)
    article = extract_article(html, url="https://harbour.example/f")
    assert article.byline == "Ann Lee"


def test_scholarly_listing_names_every_author() -> None:
    """Scholarly metadata gives each author a tag of their own, often surname
    first: every one is read, first name first."""
    head = (
        '<meta name="dc.creator" content="Ann Lee">'
        '<meta name="citation_author" content="Lee, Ann">'
        '<meta name="citation_author" content="Bo Ek">'
        '<meta name="citation_author" content="Varn, Ida">'
    )
    article = extract_article(page(head=head), url="https://harbour.example/f")
    assert article.byline == "Ann Lee, Bo Ek, Ida Varn"
    assert article.sources["byline"] == "meta:citation_author"


ARTICLE_FOOTER = (
    "<footer><p>Posted by <a href='/author/ann'>Ann Lee</a> on "
    "<time datetime='2025-03-04'>2025-03-04</time> in <a href='/c'>ferries</a>. "
    "Tags: <a>ferries</a>, <a>fares</a>.</p></footer>"
)


def test_an_articles_own_footer_names_its_author() -> None:
    """A <footer> inside the <article> belongs to it (HTML's rule): its "Posted
    by" names the author, its stops and commas between tags being no words; the
    page's own footer names no one."""
    html = page(byline=STANDFIRST).replace("</article>", f"{ARTICLE_FOOTER}</article>")
    article = extract_article(html, url="https://harbour.example/f")
    assert article.byline == "Ann Lee"
    assert article.sources["byline"] == "page:by-line"
    outside = page(byline=STANDFIRST).replace(
        "</article>", f"</article>{ARTICLE_FOOTER}"
    )
    assert extract_article(outside, url="https://harbour.example/f").byline == ""


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # A handle in its own element after the label.
        ("<div>by <a href='/users/quayside7'>quayside7</a></div>", "quayside7"),
        # A first name before the date the post went up.
        ("<p>Posted by Mira at December 16, 2025 11:15 AM</p>", "Mira"),
        # One word run on after "By" is a sort order or a section.
        ("<p>By Category</p>", ""),
    ],
)
def test_one_word_names_where_the_by_element_says_so(
    byline: str, expected: str
) -> None:
    article = extract_article(
        page(byline=f"{STANDFIRST}{byline}"), url="https://harbour.example/f"
    )
    assert article.byline == expected


def test_a_written_guest_beats_the_declared_poster() -> None:
    """The account that posted a guest's piece is declared, the guest is written
    under the headline: the written byline wins when it names none of the
    declared people, and the declaration stands when it shares one."""
    poster = page(
        head='<meta name="author" content="Bo Ek">',
        byline="<p class='meta'>By Ann Lee, Guest Columnist</p>",
    )
    article = extract_article(poster, url="https://harbour.example/f")
    assert article.byline == "Ann Lee"
    assert article.sources["byline"] == "byline:text"
    shared = page(
        head='<meta name="author" content="Ann Lee and Bo Ek">',
        byline="<p class='meta'>By Ann Lee</p>",
    )
    article = extract_article(shared, url="https://harbour.example/f")
    assert article.byline == "Ann Lee, Bo Ek"
    assert article.sources["byline"] == "meta:author"


def test_jsonld_author_given_by_reference() -> None:
    """An SEO plugin's graph names the author by reference: the Person of that
    @id is read; a reference to the publisher Organization credits no one."""

    def graph(author_id: str) -> str:
        return (
            '<script type="application/ld+json">{"@graph": ['
            f'{{"@type": "BlogPosting", "author": {{"@id": "{author_id}"}}}},'
            '{"@type": "Person", "@id": "#ann", "name": "Ann Lee"},'
            '{"@type": "Organization", "@id": "#org", "name": "Quay Media"}'
            "]}</script>"
        )

    article = extract_article(page(head=graph("#ann")), url="https://harbour.example/f")
    assert article.byline == "Ann Lee"
    assert article.sources["byline"] == "jsonld:author"
    article = extract_article(page(head=graph("#org")), url="https://harbour.example/f")
    assert (article.byline, article.credit) == ("", "")


def test_a_company_led_by_a_digit_is_the_credit() -> None:
    """ "By 4q Harbour Works" credits a company (no person's name starts with a
    digit); "By 2 Min Read" names no one."""
    article = extract_article(
        page(byline="<p>By 4q Harbour Works</p>"), url="https://harbour.example/f"
    )
    assert (article.byline, article.credit) == ("", "4q Harbour Works")
    assert written_byline("By 2 Min Read") == ""


def test_a_person_after_a_credited_team() -> None:
    """A team credited at the top and the person who wrote the piece at its foot:
    the person is the byline, the team the credit; a teaser of another story
    names neither."""
    teaser = (
        "<div class='teaser-meta'><p>By <a href='/author/kay'>Kay Moss</a></p></div>"
    )
    html = page(byline="<p>By The Harbour Desk Team</p>").replace(
        "</article>", "<p>Written by <a href='/u/ann'>Ann Lee</a></p></article>"
    )
    article = extract_article(html, url="https://harbour.example/f")
    assert (article.byline, article.credit) == ("Ann Lee", "The Harbour Desk Team")
    html = page(byline="<p>By The Harbour Desk Team</p>").replace(
        "</article>", f"</article>{teaser}"
    )
    article = extract_article(html, url="https://harbour.example/f")
    assert (article.byline, article.credit) == ("", "The Harbour Desk Team")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A serial comma before the last name.
        ("Ann Lee, Bo Ek, and Cy Ng", "Ann Lee, Bo Ek, Cy Ng"),
        # A sentence's full stop is no part of the name; an initial's or an
        # abbreviation's is.
        ("Ann Lee and Bo Ek.", "Ann Lee, Bo Ek"),
        ("Ann Lee Jr.", "Ann Lee Jr."),
        ("Ann E.", "Ann E."),
        # Reporters are the authors, the editor is not.
        ("Reporting by Ann Lee; Editing by Bo Ek", "Ann Lee"),
        ("Contributors: Ann Lee", "Ann Lee"),
        # A social handle is no part of the name.
        ("Ann Lee (@annlee)", "Ann Lee"),
        ("Ann Lee @annlee", "Ann Lee"),
        # Names may start with an accented capital.
        ("Élodie Marchand and Łukasz Nowak", "Élodie Marchand, Łukasz Nowak"),
    ],
)
def test_clean_byline_as_agencies_and_blogs_write_it(raw: str, expected: str) -> None:
    assert clean_byline(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Ann Lee, Bo Ek, and Cy Ng", "Ann Lee, Bo Ek, and Cy Ng"),
        ("Reporting by Ann Lee; Editing by Bo Ek", "Ann Lee"),
        ("Posted on March 3, 2025 by Ann Lee", "Ann Lee"),
        ("Contributors:\nAnn Lee\nSee the shop near you", "Ann Lee"),
        ("By Élodie Marchand", "Élodie Marchand"),
        # An editor's "by" is still not the author's.
        ("Editing by Bo Ek", ""),
    ],
)
def test_written_byline_labels(text: str, expected: str) -> None:
    assert written_byline(text) == expected


def test_name_beside_the_reading_time() -> None:
    """ "Ann Lee · 5 min read" under the headline: the name beside a reading time
    is the byline, as it is beside a date."""
    article = extract_article(
        page(byline="<p>Ann Lee · 5 min read</p>"), url="https://harbour.example/f"
    )
    assert article.byline == "Ann Lee"


@pytest.mark.parametrize(
    "content",
    [
        "A" * 100_000,
        "Ann " * 25_000,
        "@a" * 50_000,
        "a." * 50_000,
        "By " + "x:/" * 30_000,
    ],
)
def test_a_hostile_byline_stays_fast(content: str) -> None:
    """A 100,000-character author tag is read in well under a second (tails of a
    name compared with the site's name, and a web address looked for at every
    letter, took minutes)."""
    started = time.perf_counter()
    extract_article(
        page(head=f'<meta name="author" content="{content}">'),
        url="https://harbour.example/f",
    )
    assert time.perf_counter() - started < 2


def test_a_declared_login_is_no_person() -> None:
    """A CMS login declared as the JSON-LD author ("ann.lee2"), and trafilatura's
    capitalised echo of it, name no one: the name the page writes beside the date
    is the byline."""
    ld = (
        '<script type="application/ld+json">{"@type": "BlogPosting", "author": '
        '{"@type": "Person", "name": "bo.ek7"}}</script>'
    )
    article = extract_article(
        page(head=ld, byline="<div>Ann Lee</div><div>March 3, 2025</div>"),
        url="https://harbour.example/f",
    )
    assert article.byline == "Ann Lee"
    assert clean_byline("NOC Admin") == ""


def test_a_breadcrumb_naming_the_headline_is_no_byline() -> None:
    """The headline repeated as a breadcrumb above the date line is not a name."""
    article = extract_article(
        page(
            headline="Ferry Fares Frozen",
            byline="<div>Ferry Fares Frozen</div><div>March 3, 2025</div>",
        ),
        url="https://harbour.example/f",
    )
    assert article.byline == ""


@pytest.mark.parametrize(
    ("head", "source"),
    [
        # A JSON-LD Person given by its parts.
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
            '{"@type": "Person", "givenName": "Ann", "familyName": "Lee"}}</script>',
            "jsonld:author",
        ),
        # A Person whose name is given as a list of one.
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
            '{"@type": "Person", "name": ["Ann Lee"]}}</script>',
            "jsonld:author",
        ),
        # Dublin Core's "creator" where no author is given.
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "creator": '
            '{"@type": "Person", "name": "Ann Lee"}}</script>',
            "jsonld:author",
        ),
        # Open Graph's author tag.
        ('<meta property="og:author" content="Ann Lee">', "meta:og:author"),
    ],
)
def test_declared_authors_as_schemas_give_them(head: str, source: str) -> None:
    article = extract_article(page(head=head), url="https://harbour.example/f")
    assert article.byline == "Ann Lee"
    assert article.sources["byline"] == source


def test_every_article_author_tag_is_read() -> None:
    """One article:author tag per author: all are read, a profile link skipped."""
    head = (
        '<meta property="article:author" content="https://social.example/annlee">'
        '<meta property="article:author" content="Ann Lee">'
        '<meta property="article:author" content="Bo Ek">'
    )
    article = extract_article(page(head=head), url="https://harbour.example/f")
    assert article.byline == "Ann Lee, Bo Ek"
    assert article.sources["byline"] == "meta:article:author"


def test_a_written_byline_overrules_a_declared_person_never_shown() -> None:
    """The page shows "Harbour Desk Team" as its byline and never the person its
    JSON-LD declares (a CMS account): readers see the team, so it is the credit
    and no person is named; a declared person the page shows stays the byline."""
    ld = (
        '<script type="application/ld+json">{"@type": "BlogPosting", "author": '
        '{"@type": "Person", "name": "Bo Ekdahl"}}</script>'
    )
    team = '<div class="post-author">Harbour Desk Team</div>'
    article = extract_article(
        page(head=ld, byline=team), url="https://harbour.example/f"
    )
    assert (article.byline, article.credit) == ("", "Harbour Desk Team")
    shown = team + "<p>Bo Ekdahl reports from the quay.</p>"
    article = extract_article(
        page(head=ld, byline=shown), url="https://harbour.example/f"
    )
    assert article.byline == "Bo Ekdahl"


def test_a_byline_block_linking_each_author_gives_them() -> None:
    """ "Written by" set apart, then each author linked with a few words about
    them (here at the article's foot): too long for a "By" line, the linked
    names are the byline."""
    block = PARAGRAPHS * 2 + (
        '<div class="credits"><strong>Written by</strong><br>'
        '<a href="/people/ann-lee">Ann Lee</a>, eight years covering ferries, '
        "tides and the harbour's budget for the paper<br>"
        '<a href="/people/bo-ek">Bo Ek</a>, deputy editor and keen sailor</div>'
    )
    article = extract_article(page(byline=block), url="https://harbour.example/f")
    assert article.byline == "Ann Lee, Bo Ek"
    assert article.sources["byline"] == "page:by-line"


def test_trafilatura_cutting_the_credit_short_names_no_one() -> None:
    """trafilatura reads the declared author "Tide in the Bay" (the site's own
    name, a credit) as "Tide": the first word of a credit is no person."""
    byline = choose_byline(
        page=PageMetadata(meta={"author": "Tide in the Bay"}),
        author_texts=[],
        byline_text="",
        extracted="Tide",
        site_names=["Tide in the Bay", "tideinthebay.example"],
    )
    assert (byline.people, byline.credit) == ("", "Tide in the Bay")


def test_an_authors_microdata_gives_the_name_not_the_whole_card() -> None:
    """A forum's post card declares its author as microdata (itemprop="author"
    with an itemprop="name" inside) beside the reputation and badges it shows;
    the name is the byline. The card's text ("Ola Berg 1,655 1 gold badge 6
    silver badges") once came out as the byline or, over six words, was skipped
    for a commenter's card further down."""
    question = (
        '<div class="post"><div itemprop="author" itemscope'
        ' itemtype="https://schema.org/Person"><a href="/users/7/ola">Ola Berg</a>'
        '<meta itemprop="name" content="Ola Berg"><div class="flair">'
        "<span>1,655</span><span>1 gold badge</span><span>6 silver badges</span>"
        "</div></div></div>"
    )
    comment = (
        '<div class="comment"><span>Better asked on the ferries forum</span>'
        '<div itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<div hidden itemprop="name">Bo Ek</div> – <a href="/users/9/bo">Bo Ek'
        "</a></div></div>"
    )
    article = extract_article(
        page(byline=question + comment), url="https://harbour.example/q/1"
    )
    assert article.byline == "Ola Berg"
    assert article.sources["byline"] == "page:author"


def test_testimonials_and_pricing_tables_name_no_author() -> None:
    """A customer quoted in a testimonial or a carousel, or a pricing table's
    "byline", is not the article's author."""
    blocks = (
        '<div class="pricing-table"><p class="pricing-table-byline">billed '
        "annually</p></div>"
        '<div class="testimonial"><p>Lovely ferries, always on time.</p>'
        '<div class="author-details">Mira Olsen</div></div>'
        '<div class="review-slider"><p>Great fares.</p>'
        '<div class="quote__author">Bo Ek</div></div>'
    )
    html = page(byline='<p class="post-author">Ann Lee</p>')
    tree = lxml_html.fromstring(html.replace("</article>", f"</article>{blocks}"))
    assert author_elements(tree) == ["Ann Lee"]


def test_an_authorized_dealer_is_no_author_element() -> None:
    """Classes holding "authorized", "authoring" or "authority" name other things
    than the author."""
    html = page(
        byline='<div class="authorized-dealer">Mira Olsen</div>'
        '<h4 class="authoring-tools">Authoring Tools</h4>'
        '<p class="entry-author">Ann Lee</p>'
    )
    assert author_elements(lxml_html.fromstring(html)) == ["Ann Lee"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # The byline's date and category, each named so, hold no name.
        (
            '<div class="byline"><span class="byline__date">March 20, 2023</span>'
            ' | <span class="byline__category"><a href="/wellness">Wellness &amp; '
            "Prevention</a></span></div>",
            [],
        ),
        (
            '<div class="byline"><span class="byline__author">Ann Lee</span> '
            '<span class="byline-date">March 20, 2023</span> '
            '<span class="byline-tags">Ferries</span></div>',
            ["Ann Lee", "Ann Lee"],
        ),
    ],
)
def test_a_bylines_date_and_category_are_no_names(
    byline: str, expected: list[str]
) -> None:
    tree = lxml_html.fromstring(page(byline=byline))
    assert author_elements(tree) == expected


@pytest.mark.parametrize(
    "guess",
    [
        "Mira Olsen Testimonial",
        "Bo Ek Google review",
        "Cy Ng Trustpilot",
        "Authorized Reseller",
        "This review is posted",
        "Get",
    ],
)
def test_a_guess_holding_no_names_words_is_no_byline(guess: str) -> None:
    """A testimonial's or review's signature, a class matched for "authorized",
    a sentence: words no name holds."""
    byline = choose_byline(
        page=PageMetadata(),
        author_texts=[guess],
        byline_text="",
        extracted=guess,
        site_names=["Harbour Post"],
    )
    assert (byline.people, byline.credit) == ("", "")


def test_a_name_led_by_the_sites_brand_is_its_desk() -> None:
    """ "Tide Springfield" on tide.example is the site's edition, a credit."""
    byline = choose_byline(
        page=PageMetadata(meta={"author": "Tide Springfield"}),
        author_texts=[],
        byline_text="",
        extracted="",
        site_names=["tide.example"],
    )
    assert (byline.people, byline.credit) == ("", "Tide Springfield")


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        # Menu text and a footer's credit in an element named for the author are
        # no person: a name guessed from the page has at most four words, each
        # after the first capitalised.
        ("<div class='author-menu'>Governing Board Actions Open submenu</div>", ""),
        ("<span class='author'>Government Websites by CivicPlus</span>", ""),
        ("<span class='author'>Ann van der Berg</span>", "Ann van der Berg"),
        # A handle is one word, and stays.
        ("<span class='author'>BeauHD</span>", "BeauHD"),
    ],
)
def test_a_name_guessed_from_the_page_is_shaped_like_one(
    element: str, expected: str
) -> None:
    article = extract_article(page(byline=element), url="https://harbour.example/f")
    assert article.byline == expected


@pytest.mark.parametrize(
    ("panel", "expected"),
    [
        # A metadata panel beside the text, in an aside that looks like a sidebar.
        (
            "<aside class='sidebar card'><div><h3>Author</h3><p> Ann Lee</p></div>"
            "<div><h3>Topics</h3><p>Ferries</p></div></aside>",
            "Ann Lee",
        ),
        # Several authors, a list's items.
        (
            "<aside><h6>Author(s)</h6><ul><li><a href='/?a=al'>Ann Lee</a></li>"
            "<li><a href='/?a=be'>Bo Ek</a></li></ul></aside>",
            "Ann Lee, Bo Ek",
        ),
        # The name in the label's tail; a label alone in its cell.
        ("<p><strong>Author:</strong> Ann Lee</p>", "Ann Lee"),
        ("<dl><div><dt>Writer</dt></div><dd>Ann Lee</dd></dl>", "Ann Lee"),
        # Book reviews, each under its book's author: none is the byline.
        (
            "<div><span>Author:</span> Ida Varn</div><p>Salt Roads.</p>"
            "<div><span>Author:</span> Tom Reyes</div><p>Low Tide.</p>",
            "",
        ),
        # A menu of roles is no label, nor is a sentence after one.
        ("<ol><li>Writers</li><li>Open Calls</li></ol>", ""),
        ("<h3>Author</h3><p>Our reporters cover the port every day.</p>", ""),
    ],
)
def test_names_under_an_author_label(panel: str, expected: str) -> None:
    """A page that shows its author only under an "Author" label, in a panel
    beside the text (WCXB dev: an insight page's aside, a report's hero panel)."""
    html = page().replace("</article>", f"{PARAGRAPHS * 4}</article>{panel}")
    article = extract_article(html, url="https://harbour.example/f")
    assert article.byline == expected


def test_an_interviews_card_names_its_interviewer() -> None:
    """An interview's card says "Interview by": the interviewer is its author, and
    the site declared as the author stays the credit."""
    head = (
        '<meta name="author" content="Harbour Post">'
        '<meta name="twitter:label1" content="Interview by">'
        '<meta name="twitter:data1" content="Ann Lee">'
    )
    article = extract_article(page(head=head), url="https://harbour.example/ferry")
    assert (article.byline, article.credit) == ("Ann Lee", "Harbour Post")


@pytest.mark.parametrize(
    "labels",
    [
        # Labels inside one another, each container holding the whole article.
        "".join("<div>Author" for _ in range(200)) + PARAGRAPHS * 50 + "</div>" * 200,
        # Labels each followed by a long text that is no name.
        "".join(f"<div><b>Author</b> {'word ' * 2000}</div>" for _ in range(200)),
    ],
)
def test_author_labels_read_only_their_first_words(
    labels: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hostile page's "Author" labels cost a fraction of the page: only
    the few words after each are read, never a container's whole text per label."""
    read = [0]

    def counting(clean):  # type: ignore[no-untyped-def]
        def wrapper(text: str) -> str:
            read[0] += len(text)
            return clean(text)

        return wrapper

    for module in (bylines, metadata):
        monkeypatch.setattr(module, "clean_text", counting(module.clean_text))
    html = page().replace("</article>", f"{labels}</article>")
    assert labelled_authors(lxml_html.fromstring(html)) == ""
    assert read[0] < len(html) // 10

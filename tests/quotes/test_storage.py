"""Quotes stored at ingest (and on reindex), and the pages that show them: the
story's "Who said what" and a person's topic page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from cupure.articles.models import Article
from cupure.articles.services import article_import
from cupure.quotes.models import Quote
from cupure.quotes.services import article_quotes_store, quotes_reindex
from cupure.sources.services import publisher_get_or_create
from cupure.stories.models import Story

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

LEDGER = [
    "Dockworkers at Harbourton walked out on Monday after talks with the port's "
    "owners broke down.",
    "“We will not move until the offer changes,” said Maria Okafor, general "
    "secretary of the Harbour Workers' Union.",
    "Port chief executive Daniel Reyes said the union's demands were “simply "
    "unaffordable”.",
]
POST = [
    "The strike at Harbourton port went into its first day on Monday.",
    'Union leader Maria Okafor told reporters: "We will not move until the offer '
    'changes."',
    "“I understand their anger, but the numbers are the numbers,” Reyes said.",
]
COAST = [
    "Cranes stood still at Harbourton on Monday as the dock strike began.",
    "Okafor, the union's general secretary, said: “We will not move until the offer "
    "changes. Not this week.”",
    "“I understand their anger, but the numbers are the numbers,” said Daniel Reyes.",
    "The ministry said in a statement: “Both sides must return to talks.”",
]


def record(number: int, source: str, paragraphs: list[str]) -> dict:
    return {
        "url": f"https://{source.lower().replace(' ', '')}.example/strike",
        "title": f"Maria Okafor leads Harbourton dock strike ({source})",
        "published": (START + timedelta(hours=number)).isoformat(),
        "source": source,
        "paragraphs": paragraphs,
    }


def test_import_stores_each_articles_quotes_once() -> None:
    article = article_import(record=record(0, "Harbour Ledger", LEDGER))
    stored = list(article.quotes.order_by("position"))
    assert [(q.speaker, q.paragraph, q.cue) for q in stored] == [
        ("Maria Okafor", 1, "said"),
        ("Daniel Reyes", 2, "said"),
    ]
    assert stored[0].role == "general secretary of the Harbour Workers' Union"
    assert stored[0].speaker_key == "maria okafor"
    assert stored[0].text == "“We will not move until the offer changes,”"
    # Offsets point into the paragraphs joined by blank lines.
    assert article.text[stored[1].start : stored[1].end] == stored[1].text
    article_import(record=record(0, "Harbour Ledger", LEDGER))
    assert Quote.objects.count() == 2


def test_quotes_off_at_ingest_then_filled_in_by_reindex(settings) -> None:
    settings.CUPURE_QUOTES_AT_INGEST = False
    article_import(record=record(0, "Harbour Ledger", LEDGER))
    article_import(record=record(1, "Coast Daily", COAST))
    assert Quote.objects.count() == 0
    assert quotes_reindex(batch_size=1) == 5
    assert quotes_reindex() == 5, "reindexing again stores the same quotes"
    assert Quote.objects.count() == 5
    # Coast Daily never gives Okafor's first name: the page merges the two.
    assert sorted(Quote.objects.values_list("speaker", flat=True)) == [
        "Daniel Reyes",
        "Daniel Reyes",
        "Maria Okafor",
        "Okafor",
        "The ministry",
    ]


def test_an_edited_article_gets_its_new_quotes() -> None:
    article = article_import(record=record(0, "Harbour Ledger", LEDGER))
    article.paragraphs = [LEDGER[0]]
    article.save(update_fields=["paragraphs"])
    assert article_quotes_store(article=article) == 0
    assert not article.quotes.exists()


@pytest.fixture
def story() -> Story:
    story = Story.objects.create(
        id=7,
        title="Harbourton dock strike",
        slug="harbourton-dock-strike",
        first_published=START,
        last_published=START + timedelta(hours=2),
        article_count=3,
        publisher_count=3,
    )
    for number, (source, paragraphs) in enumerate(
        [("Harbour Ledger", LEDGER), ("Evening Post", POST), ("Coast Daily", COAST)]
    ):
        article = Article.objects.create(
            publisher=publisher_get_or_create(name=source, display_policy="full"),
            url=f"https://{number}.example/strike",
            canonical_url=f"https://{number}.example/strike",
            title=f"Dock strike ({source})",
            slug=f"dock-strike-{number}",
            published=START + timedelta(hours=number),
            paragraphs=paragraphs,
            story=story,
        )
        article_quotes_store(article=article)
    return story


def who_said_what(html: str) -> str:
    match = re.search(
        r'<section class="who-said-what".*?</section>\s*</section>', html, re.S
    )
    assert match, "no Who said what section"
    return match.group(0)


def test_story_page_shows_who_said_what_once_per_quote(
    client: Client, story: Story
) -> None:
    html = client.get(story.get_absolute_url()).content.decode()
    section = who_said_what(html)
    speakers = re.findall(
        r'<h3 id="speaker-\d+" class="speaker-name">(.*?)</h3>', section
    )
    # Okafor is quoted by three publishers, Reyes by three, the ministry by one.
    assert [re.sub(r"<.*?>", "", s) for s in speakers] == [
        "Maria Okafor, general secretary of the Harbour Workers&#39; Union",
        "Daniel Reyes, Port chief executive",
        "The ministry",
    ]
    # The same words from three publishers: shown once, first publisher credited.
    assert section.count("We will not move until the offer changes") == 1
    okafor = section.split('id="speaker-2"')[0]
    ledger, post, coast = (
        Article.objects.get(publisher__name=name)
        for name in ("Harbour Ledger", "Evening Post", "Coast Daily")
    )
    assert re.search(
        r'Reported by <a href="' + re.escape(ledger.get_absolute_url()) + r'#p1">'
        r"Harbour Ledger</a>; also by <a href=\""
        + re.escape(post.get_absolute_url())
        + r'#p1">Evening Post</a>, <a href="'
        + re.escape(coast.get_absolute_url())
        + r'#p1">Coast Daily</a>',
        okafor,
    ), okafor
    # Reyes's two different statements are both there, the shared one once.
    reyes = section.split('id="speaker-2"')[1].split('id="speaker-3"')[0]
    assert reyes.count("<blockquote>") == 2
    assert reyes.count("the numbers are the numbers") == 1


def test_article_paragraphs_carry_the_anchors_quotes_link_to(
    client: Client, story: Story
) -> None:
    article = Article.objects.get(publisher__name="Coast Daily")
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.findall(r'<p id="(p\d+)">', html) == ["p0", "p1", "p2", "p3"]


def test_a_story_without_quotes_has_no_section(client: Client) -> None:
    story = Story.objects.create(
        id=8,
        title="Quiet day",
        slug="quiet-day",
        first_published=START,
        last_published=START,
    )
    Article.objects.create(
        publisher=publisher_get_or_create(name="Harbour Ledger"),
        url="https://x.example/quiet",
        canonical_url="https://x.example/quiet",
        title="Quiet day",
        published=START,
        paragraphs=["Nothing was said today."],
        story=story,
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Who said what" not in html


def test_a_persons_topic_page_shows_what_they_said(client: Client) -> None:
    for number, (source, paragraphs) in enumerate(
        [("Harbour Ledger", LEDGER), ("Evening Post", POST), ("Coast Daily", COAST)]
    ):
        publisher_get_or_create(name=source, display_policy="full")
        article_import(record=record(number, source, paragraphs))
    response = client.get("/topics/maria-okafor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "What Maria Okafor said recently" in html
    assert html.count("We will not move until the offer changes") == 1
    assert "numbers are the numbers" not in html


def test_quotes_follow_each_publishers_display_policy(
    client: Client, story: Story
) -> None:
    """A quote is a snippet (cupure.rights.policy): a headline-only publisher, or a
    page that says nosnippet, lends none; words others reported too stay, credited
    to them; a quote longer than the page's max-snippet is left out, not cut."""
    coast = Article.objects.get(publisher__name="Coast Daily")
    coast.publisher.display_policy = "headline"
    coast.publisher.save(update_fields=["display_policy"])
    section = who_said_what(client.get(story.get_absolute_url()).content.decode())
    assert "Both sides must return to talks" not in section
    assert "numbers are the numbers" in section
    assert "Coast Daily" not in section

    post = Article.objects.get(publisher__name="Evening Post")
    post.publisher.display_policy = "excerpt"
    post.publisher.save(update_fields=["display_policy"])
    section = who_said_what(client.get(story.get_absolute_url()).content.decode())
    assert "numbers are the numbers" in section, "an excerpt allows snippets"

    post.robots = {"nosnippet": True}
    post.save(update_fields=["robots"])
    section = who_said_what(client.get(story.get_absolute_url()).content.decode())
    assert "numbers are the numbers" not in section
    assert "Evening Post" not in section

    ledger = Article.objects.get(publisher__name="Harbour Ledger")
    ledger.robots = {"max_snippet": 60}
    ledger.save(update_fields=["robots"])
    section = who_said_what(client.get(story.get_absolute_url()).content.decode())
    assert "We will not move until the offer changes" in section
    # 44 characters with its marks: longer than 30, so not shown at all, not cut.
    ledger.robots = {"max_snippet": 30}
    ledger.save(update_fields=["robots"])
    html = client.get(story.get_absolute_url()).content.decode()
    assert "We will not move" not in html


def test_a_quote_from_an_excerpt_links_only_to_anchors_its_page_has(
    client: Client, story: Story
) -> None:
    """An excerpt page shows the opening paragraph (``#p0``) alone: a quote from a
    later paragraph links to the page, not to an anchor it lacks (the merged demo
    had ten such links from its excerpt publisher's quotes)."""
    post = Article.objects.get(publisher__name="Evening Post")
    post.publisher.display_policy = "excerpt"
    post.publisher.save(update_fields=["display_policy"])
    section = who_said_what(client.get(story.get_absolute_url()).content.decode())
    links = re.findall(
        r'<a href="' + re.escape(post.get_absolute_url()) + r'(#p\d+)?">', section
    )
    assert links, section
    page = client.get(post.get_absolute_url()).content.decode()
    anchors = set(re.findall(r'<p id="(p\d+)">', page))
    assert anchors == {"p0"}
    for fragment in links:
        assert fragment == "" or fragment[1:] in anchors, fragment

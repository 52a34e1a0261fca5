"""Reads of who said what, shaped for the story and topic pages."""

from __future__ import annotations

from django.db.models import QuerySet

from cupure.rights.selectors import article_quote, paragraph_anchor, snippet_q

from .merge import MergedQuote, QuoteItem, SpeakerQuotes, merge_quotes, name_key
from .models import Quote

# The story page shows this many speakers, each with this many quotes at most.
STORY_SPEAKER_COUNT = 12
SPEAKER_QUOTE_COUNT = 6
# A person's topic page shows this many of their latest quotes.
PERSON_QUOTE_COUNT = 8
# ... read from this many of their latest stored quotes (before merging copies).
PERSON_QUOTE_ROWS = 200
QUOTE_ITEM_FIELDS = (
    "text",
    "cue",
    "paragraph",
    "speaker",
    "role",
    "speaker_kind",
    "article__id",
    "article__slug",
    "article__published",
    "article__story",
    "article__publisher__name",
    "article__publisher__display_policy",
    "article__robots",
)


def quotes_shown(rows: QuerySet[Quote]) -> QuerySet[Quote]:
    """The quotes pages may show: the one place where a publisher's display policy
    (cupure.rights.policy) filters quotes. A quote is a snippet: a headline-only
    publisher, or a page that says nosnippet, lends none (a quote others reported
    too is still shown, credited to them); a quote longer than a page's
    max-snippet is left out by :func:`_items` rather than shown cut."""
    return rows.filter(snippet_q("article__"))


def _items(rows: QuerySet[Quote]) -> list[QuoteItem]:
    rows = rows.select_related("article", "article__publisher").only(*QUOTE_ITEM_FIELDS)
    return [
        QuoteItem(
            text=row.text,
            speaker=row.speaker,
            role=row.role,
            kind=row.speaker_kind,
            publisher=row.article.publisher.name,
            published=row.article.published,
            url=row.article.get_absolute_url()
            + paragraph_anchor(row.article, row.paragraph),
            article_id=row.article.pk,
            cue=row.cue,
        )
        for row in rows
        if article_quote(row.article, row.text) == row.text
    ]


def story_quotes(*, story_id: int) -> list[SpeakerQuotes]:
    """The story's quotes by speaker, each quote once with the first publisher
    credited and the others listed, the speakers who matter most first."""
    rows = quotes_shown(Quote.objects.filter(article__story_id=story_id)).exclude(
        speaker=""
    )
    speakers = merge_quotes(_items(rows))[:STORY_SPEAKER_COUNT]
    for speaker in speakers:
        speaker.quotes = speaker.quotes[:SPEAKER_QUOTE_COUNT]
    return speakers


def person_quotes(*, name: str, limit: int = PERSON_QUOTE_COUNT) -> list[MergedQuote]:
    """What the person (or organisation) called ``name`` said lately, across
    stories, newest first, each quote once."""
    key = name_key(name)
    if not key:
        return []
    rows = quotes_shown(Quote.objects.filter(speaker_key=key)).order_by(
        "-article__published", "position"
    )[:PERSON_QUOTE_ROWS]
    merged = [q for speaker in merge_quotes(_items(rows)) for q in speaker.quotes]
    merged.sort(key=lambda q: q.first.published, reverse=True)
    return merged[:limit]

"""Writes for articles: fetch a page, extract it, store it once.

An article's date is chosen by :func:`cupure.extract.dates.choose_dates` among the
page's dates, the feed entry's ``published`` and ``updated`` (kept in
:class:`FeedEntryDates` from the poll until the ingest), the page's HTTP
``Last-Modified`` and the time the entry was first seen; the source of the date and
every witness are stored with the article.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from cupure.extract import (
    ExtractedArticle,
    ExtractionError,
    NoArticleText,
    extract_article,
)
from cupure.extract import dates as article_dates
from cupure.extract.article import MIN_ARTICLE_CHARS
from cupure.extract.body import BLOCK_KINDS, PARAGRAPH, PREFORMATTED, QUOTE
from cupure.feeds.types import FeedEntry
from cupure.images.services import images_schedule
from cupure.net.errors import FetchError
from cupure.net.fetch import fetch
from cupure.ops import metrics
from cupure.rights.signals import page_signals
from cupure.sources.models import Entry, Feed, Publisher
from cupure.sources.services import fetch_policy

from .models import Article, FeedEntryDates, Figure

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
# Summaries shown on cards are cut here: a lead paragraph, not the article.
SUMMARY_MAX_CHARS = 400


def article_ingest(*, entry: Entry) -> Article | None:
    """Fetch the page ``entry`` links to, extract it and store the article.

    Returns None when the page could not be fetched or extracted; the reason is kept on
    the entry and the entry is retried on a later poll. A page without article text
    (script-only, a login wall) whose feed entry carries a text of its own is stored
    with that text (:func:`_extract_or_feed_text`). The site's robots.txt is
    honoured (a refused page is a failed entry saying so) and the fetch holds one of
    the host's slots (per-host concurrency limit).
    """
    from cupure.net.errors import HostBusy
    from cupure.sources.services import (
        HOST_SLOT_WAIT_SECONDS,
        host_limiter,
        robots_checker,
    )

    if _refused_entry(entry, url=entry.link):
        return None
    try:
        with host_limiter().slot(entry.link, timeout=HOST_SLOT_WAIT_SECONDS):
            robots_checker().check(entry.link)
            response = fetch(entry.link, policy=fetch_policy(), accept=HTML_ACCEPT)
        extracted = _extract_or_feed_text(response.content, response.url, entry)
    except HostBusy as error:
        # Politeness, not the page's fault: it stays pending, no attempt counted.
        log.info("Article deferred entry_id=%s: %s", entry.pk, error)
        return None
    except (FetchError, ExtractionError) as error:
        entry.status = Entry.Status.FAILED
        entry.attempts += 1
        entry.last_error = str(error)
        entry.save(update_fields=["status", "attempts", "last_error"])
        log.warning(
            "Article failed entry_id=%s url=%s error=%s", entry.pk, entry.link, error
        )
        metrics.fetch_failed("article", error)
        return None
    raw_html = response.content.decode(response.charset() or "utf-8", errors="replace")
    choice = article_dates.choose_dates(
        [
            *extracted.date_candidates,
            *_entry_date_candidates(entry),
            article_dates.candidate(
                "http:last-modified",
                response.headers.get("last-modified"),
                article_dates.Kind.MODIFIED,
            ),
        ],
        now=timezone.now(),
        shown=extracted.shown_days,
    )
    canonical = canonical_url_for(response.url, extracted.canonical_url)
    if _refused_entry(
        entry, url=response.url, canonical=canonical, paragraphs=extracted.paragraphs
    ):
        return None
    with _analysis_transaction():
        article = article_store(
            publisher=entry.feed.publisher,
            url=response.url,
            extracted=extracted,
            raw_html=raw_html,
            fallback_title=entry.title,
            fallback_published=entry.published,
            date_choice=choice,
            robots=page_signals(response.content, response.headers).to_json(),
        )
        article_analyse(article=article)
        images_schedule(article=article)
        entry.status = Entry.Status.INGESTED
        entry.attempts += 1
        entry.last_error = ""
        entry.article = article
        entry.save(update_fields=["status", "attempts", "last_error", "article"])
    metrics.article_stored(
        published=article.published, seen=entry.created_at, now=timezone.now()
    )
    return article


def _extract_or_feed_text(content: bytes, url: str, entry: Entry) -> ExtractedArticle:
    """The page's article; for a page without text (a script-only page, a login
    wall) whose feed entry carries a text of its own, that text under the page's
    title, date and picture: a feed reader shows the entry all the same, and the
    article page links the original. Raises ExtractionError otherwise."""
    try:
        return extract_article(content, url=url)
    except NoArticleText as error:
        text = " ".join(entry.summary.split())
        # As long as the extractor asks of a page's text.
        if len(text) < MIN_ARTICLE_CHARS:
            raise
        log.info(
            "Article text from the feed entry_id=%s url=%s: %s", entry.pk, url, error
        )
        page = error.page
        title = " ".join(entry.title.split())
        return replace(
            page,
            title=title or page.title,
            paragraphs=(text,),
            block_kinds=(),
            standfirst="" if page.standfirst == text else page.standfirst,
            sources={
                **page.sources,
                "title": "feed:title" if title else page.sources.get("title", ""),
                "body": "feed:summary",
            },
        )


def _refused_entry(
    entry: Entry,
    *,
    url: str,
    canonical: str = "",
    paragraphs: tuple[str, ...] | list[str] | None = None,
) -> bool:
    """Whether a takedown forbids this entry's article (its URL, canonical URL or a
    copy of its text); if so the entry is failed for good, saying so."""
    from cupure.rights.services import refusal_message, takedown_refusal
    from cupure.sources.services import MAX_ENTRY_ATTEMPTS

    tombstone = takedown_refusal(
        url=url, canonical_url=canonical, paragraphs=paragraphs
    )
    if tombstone is None:
        return False
    entry.status = Entry.Status.FAILED
    entry.attempts = MAX_ENTRY_ATTEMPTS
    entry.last_error = refusal_message(tombstone)
    entry.save(update_fields=["status", "attempts", "last_error"])
    log.info("Article refused entry_id=%s: %s", entry.pk, entry.last_error)
    return True


def _entry_date_candidates(
    entry: Entry,
) -> list[article_dates.DateCandidate | None]:
    """The feed's dates for ``entry`` and when we first saw it.

    Entries stored before their feed dates were kept have only ``published``, which
    may be the fetch time of a feed that gave no date: it then counts as the feed's
    published date all the same.
    """
    kinds = article_dates.Kind
    found = [article_dates.candidate("first-seen", entry.created_at, kinds.SEEN)]
    try:
        declared = entry.feed_dates
    except FeedEntryDates.DoesNotExist:
        found.append(article_dates.candidate("feed:published", entry.published))
        return found
    found.append(article_dates.candidate("feed:published", declared.published))
    found.append(
        article_dates.candidate("feed:updated", declared.updated, kinds.MODIFIED)
    )
    return found


def feed_entry_dates_record(*, feed: Feed, items: Iterable[FeedEntry]) -> None:
    """Keep the dates the feed wrote for its new entries until they are ingested."""
    # Every new entry gets its row, dated or not: an entry without one is from before
    # feed dates were kept, and only then may its ``published`` (the fetch time when
    # the feed gave no date) stand in for the feed's date.
    dated = {item.guid: item for item in items}
    guids = list(dated)
    for start in range(0, len(guids), 500):
        rows = []
        for entry_id, guid in Entry.objects.filter(
            feed=feed, guid__in=guids[start : start + 500]
        ).values_list("id", "guid"):
            item = dated[guid]
            rows.append(
                FeedEntryDates(
                    entry_id=entry_id,
                    published=_storable(item.declared_published),
                    updated=_storable(item.declared_updated),
                )
            )
        FeedEntryDates.objects.bulk_create(rows, ignore_conflicts=True)


def _storable(value: datetime | None) -> datetime | None:
    """``value`` when a database can hold it and it is not a placeholder."""
    if value is None or not article_dates.plausible(value, timezone.now()):
        return None
    return value


@contextmanager
def _analysis_transaction() -> Iterator[None]:
    """One transaction for storing an article and everything derived from it (story,
    topics, search index, entry): one commit per article instead of one per step,
    and never an article without its story.

    The story state in memory is dropped when the transaction fails, since it may hold
    a decision the database rolled back; the next assignment rebuilds it.
    """
    from cupure.db import write_turn
    from cupure.stories.services import story_state_reset

    try:
        with write_turn(), transaction.atomic():
            yield
    except Exception:
        story_state_reset()
        raise


class ArticleImportError(ValueError):
    """An import record that cannot become an article; says which field is wrong."""


def article_import(*, record: dict[str, Any]) -> Article:
    """Store one imported article and run it through the same analysis as a polled
    one. The record: ``url``, ``title``, ``published`` (ISO 8601), ``source`` and one
    of ``text``, ``paragraphs`` or ``html``; ``id`` optional. Importing the same URL
    twice stores it once.
    """
    from cupure.sources.services import publisher_get_or_create

    if not isinstance(record, dict):
        raise ArticleImportError("each line must be a JSON object")
    missing = [f for f in ("url", "title", "published", "source") if not record.get(f)]
    if missing:
        raise ArticleImportError(f"missing field(s): {', '.join(missing)}")
    try:
        published = datetime.fromisoformat(str(record["published"]))
    except ValueError:
        raise ArticleImportError(
            f"'published' is not ISO 8601: {record['published']!r}"
        ) from None
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    url = str(record["url"])
    lead = None
    figures: tuple = ()
    standfirst = ""
    kinds: tuple[str, ...] = ()
    if isinstance(record.get("paragraphs"), list):
        paragraphs = [str(p) for p in record["paragraphs"]]
    elif isinstance(record.get("text"), str):
        paragraphs = [p.strip() for p in record["text"].split("\n\n")]
    elif isinstance(record.get("html"), str):
        try:
            extracted = extract_article(record["html"], url=url)
        except ExtractionError as error:
            raise ArticleImportError(f"html: {error}") from error
        paragraphs, lead, figures, standfirst, kinds = (
            list(extracted.paragraphs),
            extracted.lead_image,
            extracted.figures,
            extracted.standfirst,
            extracted.block_kinds,
        )
    else:
        raise ArticleImportError("needs one of 'text', 'paragraphs' or 'html'")
    extracted = ExtractedArticle(
        title=str(record["title"]),
        byline=str(record.get("byline") or ""),
        published=published,
        site_name=str(record["source"]),
        canonical_url=url,
        language=str(record.get("language") or ""),
        lead_image=lead,
        paragraphs=tuple(p for p in paragraphs if p.strip()),
        # The extractor's blocks are never empty, so its kinds stay in step
        # (article_store ignores kinds that are not).
        block_kinds=kinds,
        figures=figures,
        sources={"published": "import"},
        standfirst=standfirst,
    )
    from cupure.rights.services import refusal_message, takedown_refusal

    tombstone = takedown_refusal(
        url=url,
        canonical_url=canonical_url_for(url, url),
        paragraphs=extracted.paragraphs,
    )
    if tombstone is not None:
        raise ArticleImportError(refusal_message(tombstone))
    with _analysis_transaction():
        article = article_store(
            publisher=publisher_get_or_create(name=str(record["source"])[:200]),
            url=url,
            extracted=extracted,
            raw_html=record.get("html") or "",
            external_id=record.get("id"),
            robots=page_signals(record.get("html") or "").to_json(),
        )
        article_analyse(article=article)
    return article


def article_analyse(*, article: Article) -> None:
    """The steps after storing: copies and story, topics, search index, quotes
    (each idempotent, so a retried ingest repeats nothing)."""
    from cupure.quotes.services import article_quotes_ingest
    from cupure.search.services import search_index_article
    from cupure.stories.services import story_assign
    from cupure.trends.services import article_topics_extract

    if article.story_id is None:
        story_assign(article=article)
    article_topics_extract(article=article)
    search_index_article(article=article)
    article_quotes_ingest(article=article)


def article_store(
    *,
    publisher: Publisher,
    url: str,
    extracted: ExtractedArticle,
    raw_html: str = "",
    fallback_title: str = "",
    fallback_published: datetime | None = None,
    external_id: Any = None,
    date_choice: article_dates.DateChoice | None = None,
    robots: dict[str, Any] | None = None,
) -> Article:
    """Store an extracted article once per canonical URL; a second call returns it.

    ``date_choice`` is the article's date chosen among every witness; without it,
    the page's own date, else ``fallback_published``, else now. ``robots`` is what
    the page said to robots (``cupure.rights.signals.page_signals``).
    """
    canonical_url = canonical_url_for(url, extracted.canonical_url)
    existing = Article.objects.filter(canonical_url=canonical_url).first()
    if existing is not None:
        return existing
    now = timezone.now()
    if date_choice is None:
        date_choice = article_dates.choose_dates(
            [
                *extracted.date_candidates,
                article_dates.candidate(
                    extracted.sources.get("published") or "page", extracted.published
                ),
                article_dates.candidate("fallback", fallback_published),
                article_dates.candidate("first-seen", now, article_dates.Kind.SEEN),
            ],
            now=now,
            shown=extracted.shown_days,
        )
    published = date_choice.published or now
    title = _clean(extracted.title or fallback_title or canonical_url)
    kinds = extracted.block_kinds
    if len(kinds) != len(extracted.paragraphs):  # not known: all paragraphs
        kinds = (PARAGRAPH,) * len(extracted.paragraphs)
    blocks: list[tuple[str, str]] = []
    for text, kind in zip(extracted.paragraphs, kinds, strict=True):
        kind = kind if kind in BLOCK_KINDS else PARAGRAPH
        if text.strip():
            # A line of code keeps its indentation.
            blocks.append((_clean(text, keep_indent=kind == PREFORMATTED), kind))
    paragraphs = [text for text, _ in blocks]
    standfirst = _clean(extracted.standfirst)
    lead = extracted.lead_image
    article = Article(
        publisher=publisher,
        url=url,
        canonical_url=canonical_url,
        title=title,
        slug=slugify(title)[:200],
        byline=_clean(extracted.byline)[:500],
        credit=_clean(extracted.credit)[:300],
        # A page dated in the future would pin itself to the top of every list.
        published=min(published, now),
        published_source=date_choice.published_source[:60],
        updated=date_choice.updated,
        date_evidence={
            "reason": date_choice.reason,
            "candidates": [c.to_json() for c in date_choice.candidates],
        },
        language=extracted.language[:20],
        site_name=_clean(extracted.site_name)[:300],
        summary=_summary(standfirst or _lead_paragraph(blocks)),
        standfirst=standfirst,
        paragraphs=paragraphs,
        block_kinds=[kind for _, kind in blocks],
        lead_image_src=lead.src if lead else "",
        lead_image_caption=_clean(lead.caption) if lead else "",
        lead_image_credit=_clean(lead.credit)[:500] if lead else "",
        raw_html=_clean(raw_html),
        external_id=external_id,
        robots=robots or {},
    )
    try:
        with transaction.atomic():
            article.save()
            Figure.objects.bulk_create(
                Figure(
                    article=article,
                    position=figure.position,
                    src=figure.src,
                    caption=_clean(figure.caption),
                    credit=_clean(figure.credit)[:500],
                )
                for figure in extracted.figures
            )
    except IntegrityError:
        # Stored by another worker since we looked: theirs is the one.
        return Article.objects.get(canonical_url=canonical_url)
    log.info("Article stored article_id=%s url=%s", article.pk, canonical_url)
    return article


def canonical_url_for(url: str, declared: str) -> str:
    """The URL that identifies the article.

    The page's own canonical link when it points to the same host (a page may not claim
    another site's article), else the URL fetched.
    """
    chosen = url
    if declared:
        declared_host = urlsplit(declared).hostname
        if declared_host and declared_host == urlsplit(url).hostname:
            chosen = declared
    parts = urlsplit(chosen)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def _clean(text: str, *, keep_indent: bool = False) -> str:
    # NUL bytes are refused by PostgreSQL text columns.
    text = text.replace("\x00", "")
    return text.rstrip().lstrip("\n") if keep_indent else text.strip()


def _lead_paragraph(blocks: list[tuple[str, str]]) -> str:
    """The first paragraph of the body, past the headings, lists and tables that
    may open it (an "Introduction" heading summarises nothing); else its first
    block."""
    return next(
        (text for text, kind in blocks if kind in (PARAGRAPH, QUOTE)),
        blocks[0][0] if blocks else "",
    )


def _summary(lead: str) -> str:
    if len(lead) <= SUMMARY_MAX_CHARS:
        return lead
    return lead[:SUMMARY_MAX_CHARS].rsplit(" ", 1)[0] + "…"

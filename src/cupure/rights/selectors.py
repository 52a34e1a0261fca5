"""Reads: what an article may show (its publisher's policy and its page's signals)."""

from __future__ import annotations

from typing import Any

from cupure.rights.policy import Display, Signals, decide

# The columns article_display reads: list queries that use .only() add these.
DISPLAY_FIELDS = ("publisher__display_policy", "robots")


def article_display(article: Any) -> Display:
    """The :class:`Display` of ``article`` (an Article with its publisher loaded),
    computed once per instance: a page asks for it from several templates."""
    cached = getattr(article, "_display", None)
    if cached is None:
        cached = decide(
            article.publisher.display_policy, Signals.from_json(article.robots)
        )
        article._display = cached
    return cached


def article_shown_body(article: Any) -> list:
    """The blocks of the article page: every paragraph with its figures where the
    full text may be shown (figures only where images may), else the excerpt alone
    (or nothing)."""
    from cupure.articles.selectors import BodyBlock, article_body

    display = article_display(article)
    if display.whole_text:
        return article_body(article, with_figures=display.figures)
    # An excerpt is the opening paragraph, cut: its #p0 anchor still holds.
    paragraphs = display.body_paragraphs(article.paragraphs, article.summary)
    return [BodyBlock(paragraph=p, index=i) for i, p in enumerate(paragraphs)]


def paragraph_anchor(article: Any, index: int) -> str:
    """``#pN`` where the article page shows paragraph ``index`` (every paragraph
    of a full text; only the opening one of an excerpt), else ``""``: a quote
    from further into an excerpt links to the page, not to an anchor it lacks."""
    from cupure.rights.policy import Body

    display = article_display(article)
    if display.whole_text or (index == 0 and display.body is not Body.NONE):
        return f"#p{index}"
    return ""


def in_sitemap_q():
    """A database filter equal to ``article_display(a).in_sitemap``: the page is
    indexable and shows an excerpt (policy excerpt, or full cut to one by
    noarchive or max-snippet), not nothing (nosnippet, max-snippet:0)."""
    from django.db.models import Q

    from cupure.rights.policy import DisplayPolicy

    # Signals.to_json writes a key only when it is set, so presence is the test:
    # a JSON value compared where the key is absent is NULL, which NOT keeps NULL.
    excerpt = Q(publisher__display_policy=DisplayPolicy.EXCERPT.value) | (
        Q(publisher__display_policy=DisplayPolicy.FULL.value)
        & (Q(robots__has_key="noarchive") | Q(robots__has_key="max_snippet"))
    )
    hidden = (
        Q(robots__has_key="noindex")
        | Q(robots__has_key="nosnippet")
        | (Q(robots__has_key="max_snippet") & Q(robots__max_snippet=0))
    )
    return excerpt & ~hidden


def snippet_q(prefix: str = ""):
    """A database filter for articles some of whose text may be shown as a snippet
    or a quote (not the headline policy, no nosnippet or max-snippet:0): the
    database half of :func:`article_quote`. ``prefix`` reaches the article from
    another model (``"article__"``)."""
    from django.db.models import Q

    from cupure.rights.policy import DisplayPolicy

    return ~(
        Q(**{f"{prefix}publisher__display_policy": DisplayPolicy.HEADLINE.value})
        | Q(**{f"{prefix}robots__has_key": "nosnippet"})
        | (
            Q(**{f"{prefix}robots__has_key": "max_snippet"})
            & Q(**{f"{prefix}robots__max_snippet": 0})
        )
    )


def article_quote(article: Any, text: str) -> str:
    """A passage of ``article`` (a quote, a snippet chosen elsewhere) as the
    publisher lets it be shown: cut to max-snippet, or empty when no text may be
    (headline policy, nosnippet). For other apps that show article text."""
    return article_display(article).snippet_text(text)

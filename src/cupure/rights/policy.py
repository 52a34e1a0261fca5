"""What an article may show, decided in one place (issue #18). Pure, no Django.

Two inputs decide it:

* the publisher's **display policy**, set by whoever runs the site according to what
  the publisher allowed: ``full`` (licensed or syndicated: the whole text and its
  figures), ``excerpt`` (headline, lead image, the first paragraph cut to
  EXCERPT_MAX_WORDS words, and a prominent link to the original; the default),
  ``headline`` (headline and link only);
* the publisher's own **signals** on the article page (``<meta name="robots">``,
  ``X-Robots-Tag``, ``<meta name="googlebot-news">``; see ``cupure.rights.signals``),
  which can only make it stricter: ``noarchive`` allows no full copy, ``nosnippet``
  (or ``max-snippet:0``) no text at all, ``max-snippet:N`` at most N characters of
  it, ``max-image-preview:none`` no image (``standard``: no large one), ``noindex``
  keeps our page out of search engines, the sitemap and our search.

:func:`decide` turns both into a :class:`Display`, with the reasons, and every
surface that shows an article (its page, cards, RSS/Atom/JSON feeds, search
snippets, sitemap, OpenGraph/Twitter meta) asks it. Stories, copies and trends read
the full text internally and never show it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DisplayPolicy(StrEnum):
    FULL = "full"
    EXCERPT = "excerpt"
    HEADLINE = "headline"


class Body(StrEnum):
    """How much of the article text a surface shows."""

    FULL = "full"
    EXCERPT = "excerpt"
    NONE = "none"


# A new publisher shows excerpts until someone records a licence.
DEFAULT_POLICY = DisplayPolicy.EXCERPT
POLICY_CHOICES = [
    (DisplayPolicy.FULL.value, "Full text (licensed or syndicated)"),
    (DisplayPolicy.EXCERPT.value, "Excerpt (headline, lead image, first paragraph)"),
    (DisplayPolicy.HEADLINE.value, "Headline and link only"),
]
# An excerpt is the first paragraph, at most this many words: a lead, not the story.
EXCERPT_MAX_WORDS = 60
# Meta descriptions (OpenGraph, Twitter, <meta name="description">) are cut here.
DESCRIPTION_MAX_CHARS = 200
ELLIPSIS = "…"

IMAGE_PREVIEWS = ("none", "standard", "large")


def parse_policy(value: str) -> DisplayPolicy:
    """``value`` as a policy, or ValueError naming the three that exist."""
    try:
        return DisplayPolicy(value.strip().lower())
    except ValueError:
        names = ", ".join(p.value for p in DisplayPolicy)
        raise ValueError(
            f"unknown display policy {value!r} (one of: {names})"
        ) from None


@dataclass(frozen=True)
class Signals:
    """What a publisher's page says to robots, merged to the strictest reading.

    ``max_snippet`` is None when nothing limits snippets (``max-snippet:-1`` too);
    ``max_image_preview`` None when unsaid. ``found`` keeps every directive as read,
    with where it was read ("meta robots: noarchive"), for the admin.
    """

    noindex: bool = False
    noarchive: bool = False
    nosnippet: bool = False
    max_snippet: int | None = None
    max_image_preview: str | None = None
    found: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            key: value
            for key, value in (
                ("noindex", self.noindex),
                ("noarchive", self.noarchive),
                ("nosnippet", self.nosnippet),
                ("max_snippet", self.max_snippet),
                ("max_image_preview", self.max_image_preview),
            )
            # "is": max_snippet 0 (no snippet at all) equals False but is kept.
            if value is not None and value is not False
        }
        if self.found:
            data["found"] = list(self.found)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Signals:
        """Tolerant of anything stored: unknown keys and wrong types are ignored."""
        if not isinstance(data, Mapping):
            return cls()
        snippet = data.get("max_snippet")
        preview = data.get("max_image_preview")
        found = data.get("found")
        return cls(
            noindex=data.get("noindex") is True,
            noarchive=data.get("noarchive") is True,
            nosnippet=data.get("nosnippet") is True,
            max_snippet=snippet if isinstance(snippet, int) and snippet >= 0 else None,
            max_image_preview=preview if preview in IMAGE_PREVIEWS else None,
            found=tuple(str(f) for f in found) if isinstance(found, list) else (),
        )

    def stricter(self, other: Signals) -> Signals:
        """Both sets of signals at once: each directive at its strictest."""
        snippets = [n for n in (self.max_snippet, other.max_snippet) if n is not None]
        previews = [p for p in (self.max_image_preview, other.max_image_preview) if p]
        return Signals(
            noindex=self.noindex or other.noindex,
            noarchive=self.noarchive or other.noarchive,
            nosnippet=self.nosnippet or other.nosnippet,
            max_snippet=min(snippets) if snippets else None,
            max_image_preview=min(previews, key=IMAGE_PREVIEWS.index)
            if previews
            else None,
            found=self.found + other.found,
        )


@dataclass(frozen=True)
class Display:
    """What one article may show, and why (``reasons``, for the admin)."""

    policy: DisplayPolicy
    body: Body
    # A text snippet (search results, feed summaries, meta descriptions, cards).
    snippet: bool
    # At most this many characters of text anywhere (None: no limit).
    max_chars: int | None
    image: bool
    large_image: bool
    # Inline figures of the body (the licence covers them only with the full text).
    figures: bool
    # The publisher lets the page be indexed (else not in our search, nor sitemap,
    # and our page says noindex).
    index: bool
    reasons: tuple[str, ...]

    @property
    def whole_text(self) -> bool:
        """Every paragraph is shown, uncut: the full text, with no length limit
        from the page's signals (``max-snippet``)."""
        return self.body is Body.FULL and self.max_chars is None

    @property
    def canonical_is_original(self) -> bool:
        """The page carries the publisher's whole text, so search engines should
        credit the original: rel=canonical points there (and the sitemap, which
        lists canonical URLs only, leaves the page out)."""
        return self.body is Body.FULL

    @property
    def in_sitemap(self) -> bool:
        """Only pages that are ours to index: an excerpt page (a full copy's
        canonical is the original; a headline page is a link, not a page)."""
        return self.index and self.body is Body.EXCERPT

    @property
    def robots_meta(self) -> str:
        """Our page's ``<meta name="robots">`` (empty: nothing to say)."""
        if not self.index or self.body is Body.NONE:
            return "noindex"
        return ""

    def excerpt(self, text: str) -> str:
        """The shown part of ``text`` (a first paragraph or a summary): at most
        EXCERPT_MAX_WORDS words and ``max_chars`` characters; empty when no text
        may be shown."""
        if not self.snippet:
            return ""
        return cut(cut_words(text, EXCERPT_MAX_WORDS), self.max_chars)

    def description(self, summary: str) -> str:
        """A meta description (OpenGraph, Twitter, <meta name="description">)."""
        return cut(self.excerpt(summary), DESCRIPTION_MAX_CHARS)

    def snippet_text(self, text: str) -> str:
        """A snippet someone else chose (search), cut to what may be shown."""
        return cut(text, self.max_chars) if self.snippet else ""

    def body_paragraphs(self, paragraphs: Sequence[str], summary: str) -> list[str]:
        """The paragraphs the article page and full-text feeds show."""
        if self.whole_text:
            return [p for p in paragraphs if p]
        if self.body is Body.NONE:
            return []
        # The summary is the first paragraph (articles.services) unless the
        # publisher wrote one: the excerpt every surface shows alike.
        lead = summary or next((p for p in paragraphs if p.strip()), "")
        shown = self.excerpt(lead)
        return [shown] if shown else []

    def text(self, paragraphs: Sequence[str], summary: str) -> str:
        """The body as one plain text (feeds out)."""
        return "\n\n".join(self.body_paragraphs(paragraphs, summary))

    @property
    def licence_words(self) -> str:
        """How the article is shown, in the words of the attribution line."""
        if self.body is Body.FULL:
            return "licence"
        if self.body is Body.EXCERPT:
            return "excerpt"
        return "headline-only"


def cut_words(text: str, words: int) -> str:
    """``text`` up to ``words`` words, with an ellipsis when something was cut."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:") + ELLIPSIS


def cut(text: str, max_chars: int | None) -> str:
    """``text`` in at most ``max_chars`` characters (ellipsis included), cut at a
    word when one ends in the second half."""
    if max_chars is None or len(text) <= max_chars:
        return text
    if max_chars <= len(ELLIPSIS):
        return ""
    head = text[: max_chars - len(ELLIPSIS)]
    at_word = head.rsplit(" ", 1)[0]
    if len(at_word) >= len(head) // 2:
        head = at_word
    return head.rstrip(",;: ") + ELLIPSIS


def decide(policy: str, signals: Signals | None = None) -> Display:
    """What an article may show under the publisher's ``policy`` and ``signals``."""
    chosen = parse_policy(policy) if policy else DEFAULT_POLICY
    signals = signals or Signals()
    reasons = [f"publisher's display policy: {chosen.value}"]
    body = {
        DisplayPolicy.FULL: Body.FULL,
        DisplayPolicy.EXCERPT: Body.EXCERPT,
        DisplayPolicy.HEADLINE: Body.NONE,
    }[chosen]
    snippet = body is not Body.NONE
    image = large = chosen is not DisplayPolicy.HEADLINE
    index = True
    if chosen is DisplayPolicy.HEADLINE:
        reasons.append("headline policy: no text, no image")
    max_chars = None
    if signals.noarchive and body is Body.FULL:
        body = Body.EXCERPT
        reasons.append("noarchive: no full copy, an excerpt only")
    if signals.nosnippet or signals.max_snippet == 0:
        if snippet:
            reasons.append("nosnippet: no text shown, headline and link only")
        body, snippet = Body.NONE, False
    elif signals.max_snippet is not None:
        max_chars = signals.max_snippet
        if body is Body.FULL:
            body = Body.EXCERPT
        reasons.append(f"max-snippet:{max_chars}: at most {max_chars} characters")
    if signals.max_image_preview == "none" and image:
        image = large = False
        reasons.append("max-image-preview:none: no image")
    elif signals.max_image_preview == "standard" and large:
        large = False
        reasons.append("max-image-preview:standard: no large image preview")
    if signals.noindex and index:
        index = False
        reasons.append("noindex: our page is not indexed, not in search or sitemap")
    return Display(
        policy=chosen,
        body=body,
        snippet=snippet,
        max_chars=max_chars,
        image=image,
        large_image=large,
        figures=body is Body.FULL and image,
        index=index,
        reasons=tuple(reasons),
    )

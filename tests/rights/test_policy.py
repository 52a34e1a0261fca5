"""The one decision of what an article may show (cupure.rights.policy), pure."""

from __future__ import annotations

import pytest

from cupure.rights.policy import (
    EXCERPT_MAX_WORDS,
    Body,
    Signals,
    cut,
    cut_words,
    decide,
    parse_policy,
)

PARAGRAPHS = ["One two three four five six.", "Second paragraph here.", "Third."]
SUMMARY = "One two three four five six."


def test_policies_without_signals() -> None:
    full, excerpt, headline = decide("full"), decide("excerpt"), decide("headline")
    assert (full.body, excerpt.body, headline.body) == (
        Body.FULL,
        Body.EXCERPT,
        Body.NONE,
    )
    assert full.body_paragraphs(PARAGRAPHS, SUMMARY) == PARAGRAPHS
    assert excerpt.body_paragraphs(PARAGRAPHS, SUMMARY) == [SUMMARY]
    assert headline.body_paragraphs(PARAGRAPHS, SUMMARY) == []
    assert (full.image, excerpt.image, headline.image) == (True, True, False)
    assert (full.figures, excerpt.figures, headline.figures) == (True, False, False)
    assert (full.snippet, excerpt.snippet, headline.snippet) == (True, True, False)
    # rel=canonical to the original only for a full copy; sitemap only for ours.
    assert [d.canonical_is_original for d in (full, excerpt, headline)] == [
        True,
        False,
        False,
    ]
    assert [d.in_sitemap for d in (full, excerpt, headline)] == [False, True, False]
    assert [d.robots_meta for d in (full, excerpt, headline)] == ["", "", "noindex"]
    assert decide("").policy.value == "excerpt"


def test_excerpt_is_at_most_the_word_limit() -> None:
    long = " ".join(f"w{n}" for n in range(200))
    shown = decide("excerpt").body_paragraphs([long], "")
    assert len(shown) == 1
    assert len(shown[0].split()) == EXCERPT_MAX_WORDS
    assert shown[0].endswith("…")


def test_unknown_policy_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown display policy 'public'"):
        parse_policy("public")
    assert parse_policy(" FULL ").value == "full"


@pytest.mark.parametrize(
    ("signals", "body", "reason"),
    [
        (Signals(noarchive=True), Body.EXCERPT, "noarchive"),
        (Signals(nosnippet=True), Body.NONE, "nosnippet"),
        (Signals(max_snippet=0), Body.NONE, "nosnippet"),
        (Signals(max_snippet=12), Body.EXCERPT, "max-snippet:12"),
        (Signals(noindex=True), Body.FULL, "noindex"),
    ],
)
def test_signals_only_make_a_full_licence_stricter(signals, body, reason) -> None:
    display = decide("full", signals)
    assert display.body is body
    assert any(r.startswith(reason) for r in display.reasons), display.reasons


def test_max_snippet_cuts_every_text() -> None:
    display = decide("excerpt", Signals(max_snippet=12))
    assert display.excerpt("Harbour bridge reopens after repairs") == "Harbour…"
    assert len(display.snippet_text("x" * 50)) == 12
    assert display.description("Short.") == "Short."
    assert decide("excerpt", Signals(nosnippet=True)).snippet_text("text") == ""


def test_image_preview() -> None:
    none = decide("full", Signals(max_image_preview="none"))
    standard = decide("full", Signals(max_image_preview="standard"))
    assert (none.image, none.figures, none.large_image) == (False, False, False)
    assert (standard.image, standard.large_image) == (True, False)


def test_noindex_keeps_the_page_out_of_indexes() -> None:
    display = decide("excerpt", Signals(noindex=True))
    assert display.body is Body.EXCERPT
    assert not display.index and not display.in_sitemap
    assert display.robots_meta == "noindex"


def test_signals_round_trip_and_tolerate_junk() -> None:
    signals = Signals(
        noarchive=True, max_snippet=50, max_image_preview="standard", found=("x: y",)
    )
    stored = signals.to_json()
    assert stored == {
        "noarchive": True,
        "max_snippet": 50,
        "max_image_preview": "standard",
        "found": ["x: y"],
    }
    assert Signals.from_json(stored) == signals
    assert Signals.from_json(None) == Signals()
    junk = {"noindex": "yes", "max_snippet": "5", "max_image_preview": "huge"}
    assert Signals.from_json(junk) == Signals()


def test_stricter_merges_each_directive() -> None:
    merged = Signals(max_snippet=100, max_image_preview="large").stricter(
        Signals(max_snippet=40, max_image_preview="standard", noarchive=True)
    )
    assert merged == Signals(
        noarchive=True, max_snippet=40, max_image_preview="standard"
    )


def test_cuts() -> None:
    assert cut_words("a b c", 2) == "a b…"
    assert cut("harbour bridge", 100) == "harbour bridge"
    assert cut("harbour bridge reopens", 16) == "harbour bridge…"
    assert cut("abc", 1) == ""


def test_quotes_follow_the_policy() -> None:
    """What article_quote (for quotes on story pages) gives, by policy."""
    from types import SimpleNamespace

    from cupure.rights.selectors import article_quote

    def article(policy: str, robots: dict) -> SimpleNamespace:
        return SimpleNamespace(
            publisher=SimpleNamespace(display_policy=policy), robots=robots
        )

    quote = "We will reopen the bridge on Monday, the mayor said."
    assert article_quote(article("full", {}), quote) == quote
    assert article_quote(article("excerpt", {}), quote) == quote
    assert article_quote(article("headline", {}), quote) == ""
    assert article_quote(article("full", {"nosnippet": True}), quote) == ""
    assert article_quote(article("full", {"max_snippet": 20}), quote) == (
        "We will reopen the…"
    )

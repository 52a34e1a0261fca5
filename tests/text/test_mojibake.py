"""Repairing UTF-8 that a publisher read as cp1252 (or latin-1) before serving it."""

from __future__ import annotations

import pytest

from cupure.text.mojibake import escaped_mojibake, repair_mojibake
from tests.mojibake import read_as as damaged


@pytest.mark.parametrize(
    "original",
    [
        "It’s the mayor’s “final offer” — again…",
        "Café in Zürich, São Paulo and Kraków",
        "A 360° view for 5 €",
    ],
)
def test_utf8_read_as_cp1252_is_repaired(original: str) -> None:
    broken = damaged(original)
    assert broken != original
    assert repair_mojibake(broken) == original


def test_utf8_read_as_latin1_keeps_its_c1_controls_and_is_repaired() -> None:
    # "’" read as latin-1 is "â" plus two C1 controls; that is what WCXB pages hold.
    broken = damaged("Doctors’ Day", "latin-1")
    assert "\x80" in broken
    assert repair_mojibake(broken) == "Doctors’ Day"


def test_twice_damaged_text_is_repaired() -> None:
    assert repair_mojibake(damaged(damaged("“Quoted”"))) == "“Quoted”"


@pytest.mark.parametrize(
    "text",
    [
        "Tom Křížek in Brno",
        "She told her fiancé—a good listener—everything",
        "NESCAFÉ® Classic",
        "Rosa × medio",
        "Ça marche, déjà vu, ½ price",
        "Ελληνικά και русский текст",
        "Â is a letter too: Âge, Ârbre",
    ],
)
def test_real_text_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


@pytest.mark.parametrize(
    ("html", "damaged"),
    [
        ("we&acirc;&euro;&trade;ve", True),
        ("caf&Atilde;&copy; and caf&#195;&#169;", True),
        ("&Atilde;©", True),
        ("caf&eacute; &amp; bar, na&iuml;ve, &copy; 2025", False),
        ("It’s fine", False),
    ],
)
def test_mojibake_written_as_character_references_is_told(
    html: str, damaged: bool
) -> None:
    assert escaped_mojibake(html) is damaged

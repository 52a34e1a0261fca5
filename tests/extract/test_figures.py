"""Tests for cupure.extract.figures: captions and credits kept apart."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from cupure.extract.figures import PageFigure, same_image, split_credit, take_figures


@pytest.mark.parametrize(
    ("raw", "caption", "credit"),
    [
        (
            "Waves at the pier. Photo: Jane Doe / Agency",
            "Waves at the pier.",
            "Photo: Jane Doe / Agency",
        ),
        (
            "The mayor speaks (Photo by Kim Lee/Getty Images)",
            "The mayor speaks",
            "Photo by Kim Lee/Getty Images",
        ),
        ("Crowds in the square. © AP", "Crowds in the square.", "© AP"),
        ("Fans cheer. Credit: Ola Nord", "Fans cheer.", "Credit: Ola Nord"),
        ("Photograph: Sam Wu/Reuters", "", "Photograph: Sam Wu/Reuters"),
        ("A quiet street at dawn", "A quiet street at dawn", ""),
        ("The photographer's camera", "The photographer's camera", ""),
    ],
)
def test_split_credit(raw: str, caption: str, credit: str) -> None:
    """A credit marker (Photo:, Photo by, ©, Credit:) starts the credit."""
    assert split_credit(raw) == (caption, credit)


def test_take_figures_reads_and_removes_captions() -> None:
    """Credit spans, <cite> and WordPress captions are read, then removed."""
    tree = lxml_html.document_fromstring(
        """<html><body>
        <figure><img src="/a.jpg"><figcaption>First <span class="photo-credit">Photo:
        A</span></figcaption></figure>
        <figure><picture><img data-src="/b.jpg" src="data:image/gif;base64,R0l">
        </picture><figcaption>Second<cite>Reuters</cite></figcaption></figure>
        <div class="wp-caption"><img srcset="/c-800.jpg 800w, /c-400.jpg 400w">
        <p class="wp-caption-text">Third. Image: C</p></div>
        <figure><figcaption>No image here</figcaption></figure>
        </body></html>"""
    )
    figures = take_figures(tree, "https://ex.example/news/")
    assert figures == [
        PageFigure(src="https://ex.example/a.jpg", caption="First", credit="Photo: A"),
        PageFigure(src="https://ex.example/b.jpg", caption="Second", credit="Reuters"),
        PageFigure(
            src="https://ex.example/c-800.jpg", caption="Third.", credit="Image: C"
        ),
    ]
    left = tree.text_content()
    for gone in ("First", "Second", "Reuters", "Third", "No image here"):
        assert gone not in left


def test_same_image() -> None:
    """Same path is the same picture whatever the host or query; else not."""
    assert same_image("https://a.example/i/x.jpg?w=800", "https://cdn.example/i/x.jpg")
    assert not same_image("https://a.example/i/x.jpg", "https://a.example/i/y.jpg")
    assert not same_image("https://a.example/", "https://a.example/")
    assert not same_image("", "https://a.example/x.jpg")

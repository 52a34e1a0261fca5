"""Tests for cupure.extract.figures: captions and credits kept apart."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from cupure.extract import figures as figures_module
from cupure.extract.figures import same_image, split_credit, take_figures


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
    figures = [
        (f.src, f.caption, f.credit) for f in take_figures(tree, "https://ex.example/")
    ]
    assert figures == [
        ("https://ex.example/a.jpg", "First", "Photo: A"),
        ("https://ex.example/b.jpg", "Second", "Reuters"),
        ("https://ex.example/c-800.jpg", "Third.", "Image: C"),
    ]
    left = tree.text_content()
    for gone in ("First", "Second", "Reuters", "Third", "No image here"):
        assert gone not in left


def test_loose_captions_next_to_their_picture() -> None:
    """A caption element outside any <figure> belongs to the picture just before
    it; a credit sibling right after it, or a parenthesised credit inside it, is
    its credit; the text after the figure is remembered to place it."""
    tree = lxml_html.document_fromstring(
        """<html><body><div class="story">
        <div class="lead-img"><img src="/lead.jpg"></div>
        <p class="caption">Boats on Mill Lane</p>
        <span class="credit">Picture: Tom</span>
        <p>First paragraph of the story.</p>
        <div class="img-container"><img src="/two.jpg">
        <div class="img-caption">Containers on the quay
        <em class="img-credit">(Daily)</em></div></div>
        <p>Second paragraph.</p>
        </div></body></html>"""
    )
    figures = take_figures(tree, "https://ex.example/")
    assert [(f.src, f.caption, f.credit, f.following) for f in figures] == [
        (
            "https://ex.example/lead.jpg",
            "Boats on Mill Lane",
            "Picture: Tom",
            "first paragraph of the story",
        ),
        (
            "https://ex.example/two.jpg",
            "Containers on the quay",
            "Daily",
            "second paragraph",
        ),
    ]
    assert "Boats" not in tree.text_content()
    assert "Picture" not in tree.text_content()


def test_srcset_prefers_the_largest_rendition() -> None:
    """The widest srcset candidate is the picture's URL, over a small src."""
    tree = lxml_html.document_fromstring(
        '<html><body><figure><img src="/p-600x338.jpg" srcset="/p-600x338.jpg 600w,'
        ' /p-1200x675.jpg 1200w"><figcaption>P</figcaption></figure></body></html>'
    )
    assert take_figures(tree, "https://ex.example/")[0].src == (
        "https://ex.example/p-1200x675.jpg"
    )


def test_same_image() -> None:
    """Same path is the same picture whatever the host, query or size suffix."""
    assert same_image("https://a.example/i/x-1200x675.jpg", "/i/x-600x338.jpg")
    assert same_image("https://a.example/i/x.jpg?w=800", "https://cdn.example/i/x.jpg")
    assert not same_image("https://a.example/i/x.jpg", "https://a.example/i/y.jpg")
    assert not same_image("https://a.example/", "https://a.example/")
    assert not same_image("", "https://a.example/x.jpg")


def test_a_gallery_of_text_less_pictures_is_read_in_linear_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each picture looks for the text after it among a bounded number of
    siblings: 1,000 pictures in a row looked through 500,000 (4,000 pictures took
    29 s to extract). The text found is the same."""
    looked: list[str] = []
    anchor = figures_module._anchor

    def counted(text: str) -> str:
        looked.append(text)
        return anchor(text)

    monkeypatch.setattr(figures_module, "_anchor", counted)
    count = 1000
    gallery = "".join(f"<figure><img src='/g{n}.jpg'></figure>" for n in range(count))
    tree = lxml_html.fromstring(
        f"<html><body><div>{gallery}</div><p>After the gallery.</p></body></html>"
    )
    found = take_figures(tree, "https://example.org/")
    assert len(found) == count
    limit = figures_module.ANCHOR_SIBLINGS * figures_module.ANCHOR_LEVELS
    assert len(looked) <= count * limit < count * (count - 1) / 2
    # The last pictures still find the paragraph after the gallery.
    assert found[-1].following == "after the gallery"


def test_following_text_is_read_only_as_far_as_needed() -> None:
    """The start of a sibling's text is what the whole text starts with, spaces
    folded, however the text is split among its elements."""
    for markup in (
        "<div>  Ferries \u00a0 <b>cut</b>\n\n winter " + "sailings " * 80 + "</div>",
        "<div>" + "<span> a </span>" * 300 + "</div>",
        "<div><p>Short.</p></div>",
        "<div>" + "x" * 500 + "</div>",
    ):
        element = lxml_html.fromstring(markup)
        assert figures_module._anchor(
            figures_module._leading_text(element)
        ) == figures_module._anchor(element.text_content())

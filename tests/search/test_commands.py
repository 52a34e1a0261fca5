"""search_command: the text and JSON output of ``cupure search``."""

from __future__ import annotations

import json

import pytest

from cupure.search.commands import search_command

from .conftest import MakeArticle

pytestmark = pytest.mark.django_db


def test_json_output(make_article: MakeArticle, capsys: pytest.CaptureFixture) -> None:
    """--json prints a list of the documented objects, best first, snippet as text."""
    article = make_article(
        "Cup semi-final goes to penalties", ["Fans <cheered> as the cup final neared."]
    )
    article.external_id = "feed-42"
    article.save()
    assert search_command("cup", as_json=True) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {
        "id",
        "url",
        "title",
        "publisher",
        "published",
        "score",
        "snippet",
    }
    assert row["id"] == "feed-42"
    assert row["url"] == article.url
    assert row["publisher"] == "The Test Gazette"
    assert row["published"] == article.published.isoformat()
    assert row["score"] > 0
    assert "\ue000" not in row["snippet"] and "<mark>" not in row["snippet"]


def test_text_output_and_limit(
    make_article: MakeArticle, capsys: pytest.CaptureFixture
) -> None:
    """Text output lists title, publisher and URL; --limit caps the list."""
    for n in range(3):
        make_article(f"Unemployment falls, report {n}", ["Jobs data."])
    assert search_command("unemployment", as_json=False, limit=2) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 article(s) match; the best 2:")
    assert out.count("The Test Gazette") == 2
    assert "https://gazette.example/news/" in out


def test_no_match_is_not_an_error(capsys: pytest.CaptureFixture) -> None:
    """Nothing found: exit 0 with a sentence; JSON gives []."""
    assert search_command("zeppelin", as_json=False) == 0
    assert "No articles match 'zeppelin'." in capsys.readouterr().out
    assert search_command("zeppelin", as_json=True) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_bad_input_exits_2_with_a_reason(capsys: pytest.CaptureFixture) -> None:
    """A query of no words or a limit out of range: exit 2, one line on stderr."""
    assert search_command('"" *** --', as_json=True) == 2
    assert "no words to search for" in capsys.readouterr().err
    assert search_command("bridge", as_json=True, limit=0) == 2
    assert "--limit must be between 1 and 100" in capsys.readouterr().err


def test_text_output_says_more_than_a_capped_count(
    make_article: MakeArticle,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the count cap the command says "more than", not an exact number."""
    from cupure.search import selectors

    monkeypatch.setattr(selectors, "SEARCH_MAX_COUNT", 2)
    for n in range(4):
        make_article(f"Unemployment falls, report {n}", ["Jobs data."])
    assert search_command("unemployment", as_json=False, limit=2) == 0
    assert capsys.readouterr().out.startswith("More than 2 articles match; the best 2:")

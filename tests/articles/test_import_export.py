"""import-jsonl runs records through the same steps as polled articles; export-jsonl
gives each article's story, original and topics."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from cupure.articles.models import Article
from cupure.articles.selectors import article_export_rows
from cupure.articles.services import ArticleImportError, article_import

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WIRE_TEXT = (
    "Northwind Rail will run sleeper trains between Kessel and the capital from May, "
    "the operator said on Thursday, reviving a route abandoned in 1994.\n\n"
    "Tickets go on sale next month. The company has bought twelve refurbished "
    "carriages from a Swiss operator and will run four trains a week at first."
)


def record(number: int, source: str, text: str, **extra: object) -> dict:
    return {
        "id": f"doc-{number}",
        "url": f"https://{source.lower()}.example/{number}",
        "title": f"Northwind Rail revives sleeper trains to the capital ({source})",
        "published": (START + timedelta(minutes=number)).isoformat(),
        "source": source,
        "text": text,
        **extra,
    }


def test_import_stores_assigns_and_exports() -> None:
    """A wire story and two verbatim copies: one original, two copies pointing at it
    by the imported ids, one story, and topics named."""
    for number, source in enumerate(["Wire", "Herald", "Post"]):
        article_import(record=record(number, source, WIRE_TEXT))

    rows = {row["id"]: row for row in article_export_rows()}

    assert set(rows) == {"doc-0", "doc-1", "doc-2"}
    assert rows["doc-0"]["duplicate_of"] is None
    assert rows["doc-1"]["duplicate_of"] == "doc-0"
    assert rows["doc-2"]["duplicate_of"] == "doc-0"
    assert len({row["story"] for row in rows.values()}) == 1
    assert rows["doc-0"]["source"] == "Wire"
    assert rows["doc-0"]["published"] == START.isoformat()
    assert "northwind-rail" in rows["doc-0"]["topics"]
    json.dumps(list(rows.values()))


def test_importing_a_record_twice_stores_it_once() -> None:
    first = article_import(record=record(1, "Herald", WIRE_TEXT))
    again = article_import(record=record(1, "Herald", WIRE_TEXT))
    assert first.pk == again.pk
    assert Article.objects.count() == 1


def test_import_accepts_paragraphs_and_html() -> None:
    by_paragraphs = article_import(
        record={
            **record(1, "Herald", ""),
            "text": None,
            "paragraphs": ["One.", "Two."],
        }
    )
    assert by_paragraphs.paragraphs == ["One.", "Two."]
    html = (
        "<html><head><title>Rail news</title></head><body><article><h1>Rail news"
        "</h1><p>Northwind Rail will run sleeper trains between Kessel and the "
        "capital from May, the operator said on Thursday.</p><p>Tickets go on sale "
        "next month, and four trains a week will run at first.</p></article></body>"
        "</html>"
    )
    by_html = article_import(
        record={**record(2, "Post", ""), "text": None, "html": html}
    )
    assert by_html.paragraphs[0].startswith("Northwind Rail will run")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"published": "yesterday"}, "'published' is not ISO 8601"),
        ({"url": ""}, "missing field(s): url"),
        ({"text": None}, "needs one of 'text', 'paragraphs' or 'html'"),
    ],
)
def test_bad_records_say_what_is_wrong(change: dict, message: str) -> None:
    with pytest.raises(ArticleImportError, match=re.escape(message)):
        article_import(record={**record(1, "Herald", WIRE_TEXT), **change})
    assert not Article.objects.exists()

"""``cupure search QUERY [--json]``: the search selector on the command line."""

from __future__ import annotations

import json
import sys
from typing import Any

from .query import parse_query
from .selectors import SEARCH_MAX_PAGE_SIZE, SearchResult, search_articles

# Scores are printed with this many significant digits: enough to see the order.
# (Significant, not decimal: BM25 scores on a small index can be as small as 1e-6.)
SCORE_DIGITS = 4


def result_json(result: SearchResult) -> dict[str, Any]:
    """One result as the JSON object of ``cupure search --json``.

    ``id`` is the imported record's id when there was one, else ours (as in
    ``export-jsonl``); ``url`` is the publisher's original; ``snippet`` is plain
    text without marks.
    """
    article = result.article
    external = article.external_id
    return {
        "id": article.pk if external is None else external,
        "url": article.url,
        "title": article.title,
        "publisher": article.publisher.name,
        "published": article.published.isoformat(),
        "score": float(f"{result.score:.{SCORE_DIGITS}g}"),
        "snippet": result.snippet_text,
    }


def search_command(query: str, *, as_json: bool, limit: int = 20) -> int:
    """Print the best ``limit`` results for ``query``; return the exit status.

    2 with a one-line reason on stderr when the query has no searchable word or
    ``limit`` is out of range; 0 otherwise (also when nothing matched).
    """
    if not 1 <= limit <= SEARCH_MAX_PAGE_SIZE:
        sys.stderr.write(
            f"cupure search: --limit must be between 1 and {SEARCH_MAX_PAGE_SIZE}.\n"
        )
        return 2
    if not parse_query(query):
        sys.stderr.write(
            "cupure search: the query has no words to search for "
            "(use letters or digits).\n"
        )
        return 2
    page = search_articles(query=query, page_size=limit)
    if as_json:
        rows = [result_json(result) for result in page.results]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not page.results:
        sys.stdout.write(f"No articles match {page.query!r}.\n")
        return 0
    shown = len(page.results)
    matched = (
        f"More than {page.total:,} articles match"
        if page.total_is_capped
        else f"{page.total} article(s) match"
    )
    sys.stdout.write(f"{matched}; the best {shown}:\n")
    for rank, result in enumerate(page.results, start=1):
        article = result.article
        sys.stdout.write(
            f"{rank:2}. {article.title}\n"
            f"    {article.publisher.name} · {article.published:%Y-%m-%d %H:%M} UTC"
            f" · score {result.score:.{SCORE_DIGITS}g}\n"
            f"    {article.url}\n"
        )
        if result.snippet_text:
            sys.stdout.write(f"    {result.snippet_text}\n")
    return 0

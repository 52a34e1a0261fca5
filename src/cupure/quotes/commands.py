"""``cupure quotes [--jsonl] FILE...``: the quote extractor on files, for evaluation
and scripts (no database needed)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from cupure.extract.decode import read_page_file

from .extract import extract_quotes

# A file is read as HTML when it starts like a page; anything else is plain text.
HTML_START = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml|<!--|<p\b)", re.I
)


class QuotesInputError(ValueError):
    """A file that cannot be read as text or as a page; says why."""


def file_text(path: Path) -> str:
    """The text quotes are read from: the file itself (UTF-8 plain text, paragraphs
    separated by blank lines), or an HTML page's extracted paragraphs joined by
    blank lines. Offsets in the output point into this text."""
    try:
        raw = read_page_file(path)
    except OSError as error:
        raise QuotesInputError(f"cannot read: {error.strerror or error}") from error
    except ValueError as error:
        raise QuotesInputError(str(error)) from error
    if HTML_START.match(raw[:2000]):
        from cupure.extract import ExtractionError, extract_article
        from cupure.extract.types import PARAGRAPH_SEPARATOR

        try:
            return PARAGRAPH_SEPARATOR.join(extract_article(raw).paragraphs)
        except ExtractionError as error:
            raise QuotesInputError(str(error)) from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QuotesInputError(
            f"not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from error


def file_quotes(path: Path) -> dict[str, Any]:
    """``{"path", "quotes": [{"text", "start", "end", "speaker", "role", "cue"}]}``
    (each quote also gives its ``paragraph`` and ``parts``)."""
    text = file_text(path)
    return {"path": str(path), "quotes": [q.to_json() for q in extract_quotes(text)]}


def quotes_command(paths: list[str], *, jsonl: bool) -> int:
    """Print the quotes of each file; a file that cannot be read is reported on
    stderr and the others still printed. Exit status 1 when any file failed."""
    failures = 0
    results = []
    for name in paths:
        try:
            results.append(file_quotes(Path(name)))
        except QuotesInputError as error:
            failures += 1
            sys.stderr.write(f"{name}: {error}\n")
    if jsonl:
        for item in results:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    elif len(paths) == 1 and results:
        sys.stdout.write(json.dumps(results[0], ensure_ascii=False, indent=2) + "\n")
    elif results:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return 1 if failures else 0

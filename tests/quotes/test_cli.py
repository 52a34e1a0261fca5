"""``cupure quotes FILE...``: plain text and HTML in, JSON with offsets out."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import cupure

STORY = (
    "Dockworkers walked out on Monday.\n\n"
    "“We will not move,” said Maria Okafor, the union's general secretary.\n\n"
    "Port chief executive Daniel Reyes said the demands were “simply unaffordable”.\n"
)

PAGE = """<!doctype html>
<html lang="en"><head><title>Dock strike goes on</title></head>
<body><article><h1>Dock strike goes on</h1>
<p>Dockworkers walked out on Monday, and the owners said the strike would cost a lot
of money for every day it lasts, which is why both sides met on Tuesday.</p>
<p>“We will not move,” said Maria Okafor, the union's general secretary, after a long
meeting with the owners at the harbour office on Tuesday evening.</p>
<p>Port chief executive Daniel Reyes said the demands were “simply unaffordable” and
that the company would not raise its offer before the end of the month.</p>
</article></body></html>
"""


def test_plain_text_gives_quotes_with_offsets_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    result = cupure("quotes", str(path), home=tmp_path)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["path"] == str(path)
    text = path.read_text(encoding="utf-8")
    found = [(q["speaker"], text[q["start"] : q["end"]]) for q in output["quotes"]]
    assert found == [
        ("Maria Okafor", "“We will not move,”"),
        ("Daniel Reyes", "the demands were “simply unaffordable”"),
    ]
    first = output["quotes"][0]
    assert set(first) >= {"text", "start", "end", "speaker", "role", "cue"}
    assert first["role"] == "union's general secretary"
    assert first["cue"] == "said"


def test_html_is_extracted_first_and_jsonl_gives_a_line_per_file(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = cupure("quotes", "--jsonl", str(page), str(story), home=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(page), str(story)]
    speakers = [q["speaker"] for q in lines[0]["quotes"]]
    assert speakers == ["Maria Okafor", "Daniel Reyes"]
    # Offsets point into the extracted text: its paragraphs joined by blank lines.
    assert lines[0]["quotes"][0]["text"] == "“We will not move,”"


def test_unreadable_files_are_reported_and_the_others_printed(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("“Ça va,” dit-il.".encode("cp1252"))
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = cupure(
        "quotes", "--jsonl", str(bad), str(missing), str(story), home=tmp_path
    )
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2, result.stderr
    assert "latin1.txt: not UTF-8 text" in errors[0]
    assert "missing.txt: cannot read" in errors[1]
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [
        str(story)
    ]


def test_no_file_is_a_usage_error(tmp_path: Path) -> None:
    result = cupure("quotes", home=tmp_path)
    assert result.returncode != 0
    assert "give one or more files" in result.stderr

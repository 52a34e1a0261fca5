"""One log line per event, JSON with the event's ids when CUPURE_LOG_FORMAT=json."""

from __future__ import annotations

import json
from pathlib import Path

from cupure.ops.logs import event_fields
from tests.loopback import LoopbackSite
from tests.test_cli import LOOPBACK_ONLY, cupure


def test_the_ids_and_one_word_values_of_an_event_become_fields() -> None:
    fields = event_fields(
        "Article failed entry_id=5 url=https://x.example/a error=timeout after 10 s"
    )
    assert fields == {
        "event": "Article failed",
        "entry_id": 5,
        "url": "https://x.example/a",
    }
    assert event_fields("Feed lease not renewed feed_id=3: gone") == {
        "event": "Feed lease not renewed",
        "feed_id": 3,
    }
    assert event_fields("stories merged") == {"event": "stories merged"}


def test_json_lines_carry_feed_and_article_ids(
    tmp_path: Path, gazette_site: LoopbackSite
) -> None:
    env = {"CUPURE_LOG_FORMAT": "json", "CUPURE_LOG_LEVEL": "INFO", **LOOPBACK_ONLY}
    added = cupure("add-feed", gazette_site.url("/rss.xml"), home=tmp_path, **env)
    assert added.returncode == 0, added.stderr
    polled = cupure("poll", "--once", "--workers", "1", home=tmp_path, **env)
    assert polled.returncode == 0, polled.stderr

    lines = [line for line in polled.stderr.splitlines() if line.startswith("{")]
    events = [json.loads(line) for line in lines]
    assert events, polled.stderr
    stored = [e for e in events if e["event"] == "Article stored"]
    polls = [e for e in events if e["event"] == "Feed polled"]
    assert len(stored) == 2
    assert all(isinstance(e["article_id"], int) for e in stored)
    assert {e["url"] for e in stored} == {
        gazette_site.url("/news/bridge-reopens"),
        gazette_site.url("/news/library-hours"),
    }
    assert polls and polls[0]["feed_id"] == 1 and polls[0]["ingested"] == 2
    for event in events:
        assert {"time", "level", "logger", "message", "event"} <= set(event)


def test_a_traceback_stays_inside_its_events_line() -> None:
    import io
    import logging

    from cupure.ops.logs import CupureJsonFormatter, EventFields

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(CupureJsonFormatter())
    handler.addFilter(EventFields())
    logger = logging.getLogger("cupure.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError("a hostile date")
        except ValueError:
            logger.exception("Poll crashed feed_id=%s url=%s", 7, "https://x.example/")
    finally:
        logger.removeHandler(handler)

    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert event["event"] == "Poll crashed" and event["feed_id"] == 7
    assert event["level"] == "ERROR"
    assert "ValueError: a hostile date" in event["exc_info"]

"""Log lines a machine can read: one JSON object per event when
``CUPURE_LOG_FORMAT=json`` (python-json-logger), with the ids it names as fields.

cupure's events are logged as one line each, a few words then ``key=value`` pairs
(``Feed polled feed_id=12 new=3 ingested=3 failed=0``, ``Article stored
article_id=981 url=…``). :class:`EventFields` lifts those pairs onto the record, so
the JSON line carries ``"event": "Feed polled", "feed_id": 12, ...`` and a log
search can select by feed or article without parsing messages; the plain format
prints the line as it was. A traceback stays inside its event's line
(``exc_info``), escaped, in JSON.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

# key=value, the value up to the next space.
PAIR = re.compile(r"(?<!\S)([a-z][a-z_]*)=(\S+)")
RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _value(text: str) -> int | str:
    return int(text) if text.isdigit() and len(text) < 19 else text


def event_fields(message: str) -> dict[str, int | str]:
    """The ``event`` (the words before the first pair) and the message's pairs.

    An id (``feed_id=12:``) is always taken, its trailing punctuation dropped. Any
    other pair only when another pair or the end of the line follows it: in
    ``error=timeout after 10 s`` the value is a sentence, and "timeout" alone would
    misreport it (the message keeps it whole).
    """
    pairs = list(PAIR.finditer(message))
    event = message[: pairs[0].start()] if pairs else message
    fields: dict[str, int | str] = {
        "event": event.strip().rstrip(",:;").strip() or message[:80]
    }
    for number, pair in enumerate(pairs):
        key, value = pair.group(1), pair.group(2)
        if key in RESERVED:
            continue
        if key.endswith("_id"):
            value = value.rstrip(",:;.")
            if value.isdigit():
                fields[key] = int(value)
            continue
        following = pairs[number + 1].start() if number + 1 < len(pairs) else None
        rest = message[pair.end() : following]
        if not rest.strip():
            fields[key] = _value(value)
    return fields


class EventFields(logging.Filter):
    """Sets ``event`` and the message's ``key=value`` pairs on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in event_fields(record.getMessage()).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class CupureJsonFormatter(JsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message,
    event, the event's fields and any ``extra``."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record: dict, record: logging.LogRecord, message_dict):
        super().add_fields(log_record, record, message_dict)
        log_record["time"] = datetime.fromtimestamp(record.created, UTC).isoformat(
            timespec="milliseconds"
        )

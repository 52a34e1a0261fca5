"""robots.txt records in the database: every poller process and machine shares them
(cupure.net.robots.RobotsStore)."""

from __future__ import annotations

from datetime import UTC, datetime

from cupure.net.robots import RobotsRecord

from .models import RobotsTxt

# The stored text is at most what is parsed (RFC 9309 §2.5: 500 KiB).
NOTE_MAX_CHARS = 500


class DatabaseRobotsStore:
    """Reads and writes :class:`RobotsTxt` rows; times are epoch seconds outside."""

    def load(self, origin: str) -> RobotsRecord | None:
        row = RobotsTxt.objects.filter(origin=origin[:300]).first()
        if row is None:
            return None
        return RobotsRecord(
            origin=row.origin,
            body=row.body if row.has_rules else None,
            allow_all=row.allow_all,
            expires_at=row.expires_at.timestamp(),
            note=row.note,
        )

    def save(self, record: RobotsRecord) -> None:
        RobotsTxt.objects.update_or_create(
            origin=record.origin[:300],
            defaults={
                "has_rules": record.body is not None,
                "body": (record.body or "").replace("\x00", ""),
                "allow_all": record.allow_all,
                "expires_at": datetime.fromtimestamp(record.expires_at, UTC),
                "note": record.note[:NOTE_MAX_CHARS],
            },
        )

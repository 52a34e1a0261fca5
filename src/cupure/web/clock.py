"""The fixed date formats of the pages, fast (filters ``iso``, ``day_time`` and
``full_date_time`` in ``cupure.web.templating``).

Django's ``date`` filter reads a format string and translation catalogues on each
call; a story page calls it twice per article (up to 160 times), which was a sixth
of its render. These print the same text for the site's one language (English) and
time zone (the page says UTC), from the datetime's fields; the template filters
convert to the site's time zone first, as Django's filters do.
"""

from __future__ import annotations

from datetime import datetime

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def iso(value: datetime) -> str:
    """ISO 8601 to the second, as ``|date:'c'`` prints a whole second: for
    ``<time datetime=…>``, where HTML allows at most three digits of a fraction
    (a pushed article or a comment carries microseconds)."""
    if not isinstance(value, datetime):
        return ""
    return value.isoformat(timespec="seconds")


def day_time(value: datetime) -> str:
    """Day, month and time, as ``|date:"j M, H:i"`` ("5 Nov, 09:30")."""
    if not isinstance(value, datetime):
        return ""
    return f"{value.day} {MONTHS[value.month - 1][:3]}, {value:%H:%M}"


def full_date_time(value: datetime) -> str:
    """Day, month, year and time, as ``|date:"j F Y, H:i"`` ("5 November 2026,
    09:30")."""
    if not isinstance(value, datetime):
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}, {value:%H:%M}"


def ago(value: datetime, now: datetime) -> str | None:
    """How long before ``now`` ``value`` was, as humanize's ``naturaltime`` says it
    within a day ("now", "a minute ago", "5 hours ago", with its non-breaking
    spaces); None for other times (the future, or a day or more ago), which
    ``naturaltime`` itself words (months and years need its calendar arithmetic).

    ``naturaltime`` looks each phrase up in the translation catalogues; a home page
    calls it for every card (70 times), which was a twentieth of its render.
    """
    delta = now - value
    if delta.days != 0:  # also the future: a negative delta counts -1 days
        return None
    seconds = delta.seconds
    if seconds == 0:
        return "now"
    if seconds >= 3600:
        count, unit, one = seconds // 3600, "hour", "an hour ago"
    elif seconds >= 60:
        count, unit, one = seconds // 60, "minute", "a minute ago"
    else:
        count, unit, one = seconds, "second", "a second ago"
    return one if count == 1 else f"{count}\u00a0{unit}s ago"

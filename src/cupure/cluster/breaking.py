"""Breaking news: a story whose coverage is bursting right now, across publishers.

The rule compares a story's articles in the last ``BREAKING_WINDOW`` with its own
rate before that. A story is breaking when all of these hold:

- at least ``MIN_RECENT_ARTICLES`` articles arrived in the window: one or two
  articles are coverage, not a burst;
- they came from at least ``MIN_RECENT_PUBLISHERS`` publishers: one newsroom
  posting updates cannot make a story "breaking" on its own;
- the recent rate is at least ``MIN_RATE_RATIO`` times the story's earlier rate
  (per window, over the story's life before the window, with one article of
  prior belief so a brand-new story is not divided by zero): a long-running story
  that keeps a steady trickle is not breaking, a story that suddenly draws many
  publishers is.

Pure, no Django: the ``stories`` app counts, this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# News that is "breaking" is hours old, not days: several newsrooms within a morning.
BREAKING_WINDOW = timedelta(hours=6)
# Fewer than three articles is ordinary coverage of anything.
MIN_RECENT_ARTICLES = 3
# Two independent newsrooms must be on it.
MIN_RECENT_PUBLISHERS = 2
# Coverage now must be at least this many times the story's earlier pace.
MIN_RATE_RATIO = 2.0
# Prior belief added to the earlier count: a new story's "earlier pace" is small
# but not zero.
PRIOR_ARTICLES = 1.0


@dataclass(frozen=True)
class Coverage:
    """How much of a story arrived recently and before."""

    recent_articles: int
    recent_publishers: int
    earlier_articles: int
    # How long the story ran before the window (zero for a story born inside it).
    earlier_span: timedelta


def breaking_score(coverage: Coverage) -> float:
    """How many times faster than before the story is being covered (0 = not breaking).

    Returns 0.0 unless every condition of the module's rule holds.
    """
    if coverage.recent_articles < MIN_RECENT_ARTICLES:
        return 0.0
    if coverage.recent_publishers < MIN_RECENT_PUBLISHERS:
        return 0.0
    earlier_windows = max(coverage.earlier_span / BREAKING_WINDOW, 1.0)
    earlier_rate = (coverage.earlier_articles + PRIOR_ARTICLES) / earlier_windows
    ratio = coverage.recent_articles / earlier_rate
    return ratio if ratio >= MIN_RATE_RATIO else 0.0

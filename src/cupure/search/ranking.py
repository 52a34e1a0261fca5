"""How a search result's score blends text relevance with recency (no Django).

    score = relevance × (RECENCY_FLOOR + (1 − RECENCY_FLOOR) × H / (H + age_days))

- ``relevance`` is the database's text score: BM25 in SQLite FTS5, ``ts_rank`` in
  PostgreSQL, both with the headline weighted above the body (the weights below).
  Only its order matters: the blend multiplies it, so the two scales never mix.
- The recency factor is 1 for an article published now, halves its share above the
  floor after ``H = RECENCY_HALF_LIFE_DAYS``, and tends to ``RECENCY_FLOOR``: on equal
  text the newer article wins, but a strong match from last year still beats a
  passing mention from this morning.
- The hyperbola ``H / (H + age)`` instead of ``0.5 ** (age / H)``: the same half-life,
  written with the four operations every database has (SQLite may lack ``pow``).

The backends compute the same formula in SQL (``blend_sql``), so the database orders
and pages the results; ``blend`` is its reference and the tests hold the SQL to it.
"""

from __future__ import annotations

# News is read for about a week: after seven days an article keeps half its
# recency bonus.
RECENCY_HALF_LIFE_DAYS = 7.0
# The share of its text score an article keeps however old it is: archives stay
# findable by what they say.
RECENCY_FLOOR = 0.35

# A word in the headline counts as much as about three in the body: a headline
# names what the article is about, a body mentions much in passing.
HEADLINE_WEIGHT = 1.0
BODY_WEIGHT = 0.3


def recency_factor(age_days: float) -> float:
    """The recency multiplier for an article ``age_days`` old (future counts as 0)."""
    age = max(age_days, 0.0)
    decay = RECENCY_HALF_LIFE_DAYS / (RECENCY_HALF_LIFE_DAYS + age)
    return RECENCY_FLOOR + (1.0 - RECENCY_FLOOR) * decay


def blend(relevance: float, age_days: float) -> float:
    """A result's score: text relevance times its recency factor."""
    return relevance * recency_factor(age_days)


def blend_sql(relevance: str, age_days: str) -> str:
    """``blend`` as an SQL expression, given SQL for the relevance and for the age in
    days (a database's own date arithmetic, floored at 0 by the caller)."""
    return (
        f"{relevance} * ({RECENCY_FLOOR!r} + {1.0 - RECENCY_FLOOR!r} * "
        f"{RECENCY_HALF_LIFE_DAYS!r} / ({RECENCY_HALF_LIFE_DAYS!r} + {age_days}))"
    )

"""Generated news at scale: N articles, seeded, stored the way the pipeline stores them.

The stream (written by us, fictional): events of a dozen kinds (fires, storms,
elections, strikes, trials, mergers, matches, outbreaks, crashes, protests, budgets,
discoveries) in invented places, with invented people and organisations and details
of their own, each covered by one to eight of 40 publishers over the hours after it
happens (1% are major news: 15–40 publishers, twice each, over days); a headline and
4–8 paragraphs per article, worded differently by each publisher; about 6% of
articles are syndicated copies of another publisher's article. Dates run up to
``--end`` (default: the start of today, UTC) at a steady rate of about 2,400 a day,
over six weeks for 100k articles and proportionally less for fewer (a smaller
database is a younger site).

Loading is a bulk path, but what it stores is what the pipeline would store: every
article (published order) goes through the real copy index (``text_signature`` +
``CopyIndex``) and the real ``StoryClusterer`` in memory, exactly as ``story_assign``
uses them (story counters, lead article, related stories, closing); topics come from
the real ``TopicResolver``; the search index is built with ``search_reindex()``.

The database is cached per (N, seed, end day, vendor) under var/bench/ (SQLite) or
as a PostgreSQL database ``cupure_bench_…`` so reruns are quick (a cached database
is migrated forward when the schema changed since, as a running site would be):

    .venv/bin/python bench/generate.py --articles 100000 [--seed 7] [--vendor sqlite]

Other scripts call :func:`ensure_database`, which runs this script in a child process
(Django is set up once per process, for one database).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

log = logging.getLogger("bench.generate")

DEFAULT_SEED = 7
# The cast (people, places, organisations) comes from this seed whatever --seed is:
# streams with other seeds (growth's fresh articles) name the same world.
CAST_SEED = 20_261_125
PUBLISHER_COUNT = 40
SPAN = timedelta(weeks=6)
# A site stores articles at a steady rate, so a smaller database is a younger site:
# a stream of N articles spans SPAN × N / FULL_SPAN_ARTICLES (at most SPAN), about
# 2,400 articles a day. A story window (72 hours) then holds as many articles at 10k
# as at 100k, and growth compares sizes, not publishing rates.
FULL_SPAN_ARTICLES = 100_000
# Share of articles that are syndicated copies of another publisher's article.
COPY_SHARE = 0.04
# Share of events that are major news: covered by 15-40 publishers, twice each.
MAJOR_SHARE = 0.01
# Share of articles with a lead photo (URL only: nothing is fetched).
PHOTO_SHARE = 0.6
# Rows written per INSERT batch: large enough to amortise, small enough for SQLite's
# variable limit and bounded memory.
WRITE_BATCH = 1_000
# Related stories are recomputed for the stories that grew, at most this often in
# stream time (story_assign does it on every article; the result is the same for a
# story that stops growing, and it costs a cosine walk per story).
RELATED_EVERY = timedelta(hours=3)


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Marta Jonas Elena Tomas Aria Ilona Pavel Sofia Nadia Oskar Lena Viktor Irene Hugo "
    "Clara Anton Mira Felix Greta Emil Vera Leon Ada Karl Nora Sven Lucia Ivo Petra "
    "Rafael Dalia Bruno Selma Ottilie Milan Zora Arvid Katja Niko Esther Maren Idris "
    "Yusuf Amara Tobias Linnea Caspar Rosalind Henrik Imogen"
)
SYL_A = _words(
    "Bra Vel Kor Dun Sal Mor Tre Hal Ost Ver Lin Gar Fen Rud Ask Bel Cor Tam"
)
SYL_B = _words("sk dor ven mark holt berg wick ley sund dahl fors mond rath vik lund")
PLACE_END = _words("by ton ford mouth haven stad field wick bridge port")
ORG_FORMS = [
    "{p} City Council",
    "{p} General Hospital",
    "{p} Motors",
    "{p} Rovers",
    "{p} United",
    "Bank of {p}",
    "{p} Water",
    "{p} Rail",
    "{p} University",
    "{p} Energy",
]
ROLES = _words(
    "mayor minister spokesperson chief councillor director professor captain manager "
    "inspector chairwoman chairman economist analyst"
)
COMMON = _words(
    "residents officials workers families drivers parents teachers nurses engineers "
    "investors fans voters neighbours shoppers commuters farmers students doctors "
    "volunteers businesses landlords tenants pensioners passengers"
)
ADJ = _words(
    "sudden serious major unexpected growing early late fresh wider local regional "
    "national long-running heated quiet busy costly severe modest sharp steady "
    "difficult rare urgent initial final"
)
ADV = _words(
    "quickly later earlier again overnight briefly publicly privately already still "
    "formally repeatedly firmly reportedly"
)
THING = _words(
    "plans figures talks records costs rules measures services repairs checks reports "
    "payments contracts schedules warnings tests permits budgets bids routes claims "
    "proposals limits delays findings samples"
)
VERB = _words(
    "confirmed denied questioned welcomed criticised announced delayed reviewed "
    "approved rejected defended described promised warned disputed expected"
)
DAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Per event kind: headline templates and the facts sentences draw on.
# Slots: {place} {person} {surname} {org} {n} {role} {day} {adj} {thing} {group}.
KINDS: dict[str, dict[str, list[str]]] = {
    "fire": {
        "head": [
            "Fire at {org} site in {place} forces {n} to leave homes",
            "{place} blaze: {n} evacuated as fire crews tackle {org} warehouse",
            "Crews battle {adj} fire in {place} overnight",
            "Huge fire breaks out at {org} in {place}",
        ],
        "fact": [
            "Firefighters were called to the {org} building in {place} shortly before "
            "dawn on {day}.",
            "About {n} people were moved out of nearby streets while crews worked.",
            "{person}, the {role}, said the cause of the fire was not yet known.",
            "Smoke could be seen across {place} for several hours.",
            "Investigators from the fire service will examine the {org} site.",
        ],
    },
    "storm": {
        "head": [
            "Storm {surname} batters {place} with {n} mph winds",
            "Storm {surname}: homes without power across {place}",
            "Flood warnings as Storm {surname} reaches {place}",
            "{place} clears up after Storm {surname}",
        ],
        "fact": [
            "Storm {surname} brought gusts of up to {n} mph to {place} on {day}.",
            "Thousands of homes around {place} lost power as lines came down.",
            "{org} said engineers were working to restore supplies.",
            "Forecasters said the worst of Storm {surname} had passed by the evening.",
            "Schools in {place} stayed closed while roads were cleared.",
        ],
    },
    "election": {
        "head": [
            "{person} wins {place} mayoral race by {n} votes",
            "{place} election: {surname} claims victory",
            "Recount ordered in tight {place} mayoral election",
            "{surname} concedes as {place} picks new mayor",
        ],
        "fact": [
            "{person} won the {place} mayoral election by {n} votes after a recount.",
            "Turnout in {place} was higher than at the last election.",
            "{surname} promised to focus on housing and transport in {place}.",
            "The result was declared at {place} town hall early on {day}.",
            "Supporters of {surname} gathered outside as the count went on.",
        ],
    },
    "strike": {
        "head": [
            "{org} staff walk out in pay dispute",
            "Strike at {org} halts services in {place}",
            "{n} workers strike at {org} over pay",
            "Talks fail to end {org} strike",
        ],
        "fact": [
            "About {n} staff at {org} walked out on {day} in a dispute over pay.",
            "Union leaders said talks with {org} had broken down.",
            "{person}, the {role}, urged both sides to return to talks.",
            "Services in {place} were disrupted for most of the day.",
            "{org} said it had made a fair offer to its staff.",
        ],
    },
    "trial": {
        "head": [
            "{person} goes on trial in {place} fraud case",
            "Jury hears {surname} fraud case opening",
            "{surname} denies charges as {place} trial begins",
            "Court told of {n} missing funds at {org}",
        ],
        "fact": [
            "{person} appeared at {place} Crown Court on {day} accused of fraud.",
            "Prosecutors said {n} thousand pounds went missing from {org}.",
            "{surname} denies all the charges against {surname}.",
            "The trial at {place} is expected to last several weeks.",
            "The jury was told {surname} had worked at {org} for years.",
        ],
    },
    "merger": {
        "head": [
            "{org} agrees takeover deal worth {n} million",
            "{org} shares jump on merger news",
            "{org} to merge with rival in {n} million deal",
            "What the {org} deal means for {place}",
        ],
        "fact": [
            "{org} agreed a deal worth {n} million pounds on {day}.",
            "{person}, the {role} of {org}, said the merger would protect jobs.",
            "Shares in {org} rose sharply after the announcement.",
            "The deal still needs approval from regulators.",
            "Staff in {place} were told about the plans in a meeting.",
        ],
    },
    "match": {
        "head": [
            "{org} beat rivals {n}-1 in {place} derby",
            "Late goal gives {org} derby win",
            "{surname} scores twice as {org} win",
            "{org} boss {surname} hails derby victory",
        ],
        "fact": [
            "{org} won the {place} derby {n}-1 in front of a full stadium on {day}.",
            "{person} scored twice in the second half.",
            "Manager {surname} said the team had deserved the win.",
            "The result lifts {org} into the top half of the table.",
            "Fans celebrated in the streets of {place} after the final whistle.",
        ],
    },
    "outbreak": {
        "head": [
            "Measles cases rise to {n} in {place}",
            "{place} measles outbreak: parents urged to vaccinate",
            "Health officials warn of measles in {place} schools",
            "{org} opens extra clinics as measles spreads",
        ],
        "fact": [
            "Health officials confirmed {n} cases of measles in {place} by {day}.",
            "{person}, the {role}, urged parents to check their children's vaccines.",
            "{org} has opened extra clinics to give vaccinations.",
            "Most of the cases in {place} were among young children.",
            "Officials said the outbreak began at a school in {place}.",
        ],
    },
    "crash": {
        "head": [
            "{n} hurt as train derails near {place}",
            "{org} train derails outside {place}",
            "Investigation after {place} rail crash",
            "Passengers describe {place} derailment",
        ],
        "fact": [
            "A {org} train left the tracks near {place} on {day} morning.",
            "{n} passengers were taken to hospital with minor injuries.",
            "Rail investigators arrived at the scene near {place} within hours.",
            "{person}, a passenger, said the carriage shook before it stopped.",
            "{org} said services would be replaced by buses.",
        ],
    },
    "protest": {
        "head": [
            "Thousands march in {place} over hospital cuts",
            "{place} protest against {org} plans",
            "Protesters block roads in {place}",
            "{surname} joins {place} march against closures",
        ],
        "fact": [
            "Thousands marched through {place} on {day} against cuts at {org}.",
            "Organisers said {n} people took part in the protest.",
            "{person} addressed the crowd outside the town hall.",
            "Police said the march in {place} passed off peacefully.",
            "{org} said no final decision on the cuts had been made.",
        ],
    },
    "budget": {
        "head": [
            "{org} sets out {n} million budget",
            "Council tax to rise under {org} budget",
            "{org} budget: what changes in {place}",
            "{surname} defends {place} budget cuts",
        ],
        "fact": [
            "{org} approved a budget of {n} million pounds on {day}.",
            "Council tax in {place} will rise under the plans.",
            "{person}, the {role}, said hard choices had to be made.",
            "Opposition councillors in {place} voted against the budget.",
            "Libraries and parks in {place} face reduced opening hours.",
        ],
    },
    "discovery": {
        "head": [
            "{org} scientists find new species off {place}",
            "Rare fossil found near {place}",
            "{place} researchers make {adj} discovery",
            "{surname} team at {org} reports breakthrough",
        ],
        "fact": [
            "Scientists at {org} described the find in a journal on {day}.",
            "{person}, the {role} who led the team, called it remarkable.",
            "The discovery was made near {place} during a survey.",
            "The team collected {n} samples over two years.",
            "Further work at {place} is planned for next year.",
        ],
    },
}
# Sentences any article may use around the facts: the common words of news.
FILLER = [
    "{group} said they had {adv} raised concerns about the {thing}.",
    "The {adj} {thing} were {verb} by officials on {day}.",
    "Local {group} {verb} the {thing}, according to a statement.",
    "A spokesperson said more {thing} would follow in the coming weeks.",
    "It is the {adj} such case in the area this year.",
    "{group} in {place} said they were worried about what comes next.",
    "Officials {verb} that the {thing} would be looked at again.",
    "The {role} {adv} said lessons would be learned.",
    "Critics {verb} the handling of the {thing}.",
    "Further {thing} are expected to be published later this month.",
    "{group} told reporters the {adj} {thing} had taken them by surprise.",
    "A public meeting about the {thing} is planned for {day}.",
]


# What makes one event unlike another of its kind: its own details (the street,
# the school, the vehicle ...), drawn from a lexicon of invented words, and said in
# sentences like these. Slots {d0}..{d5}: the event's details.
DETAIL = [
    "Witnesses described the {dA} near the {dB} as {adj}.",
    "The {dA} on {street} was closed while the {dB} was checked.",
    "{other} said the {dA} had been a concern for {group} since the {dB} opened.",
    "Photographs showed the {dA} and the {dB} behind {street}.",
    "According to {other}, the {dA} was linked to the {dB} and the {dC}.",
    "The {dA} at {street} is expected to reopen once the {dB} is {verb}.",
    "Questions remain about the {dA} and who approved the {dB}.",
    "Records seen by reporters mention the {dA}, the {dB} and a {dC}.",
    "Nobody at the {dA} would comment on the {dB}.",
    "The {dA} and the {dC} were {verb} by {other} last year.",
]
LEXICON_SIZE = 12_000
DETAILS_PER_EVENT = 10


@dataclass
class Cast:
    """The invented world every stream names."""

    people: list[str]
    places: list[str]
    orgs: list[str]
    publishers: list[tuple[str, str]]  # (name, host)
    lexicon: list[str] = field(default_factory=list)

    @classmethod
    def build(cls) -> Cast:
        rng = random.Random(CAST_SEED)

        def surname() -> str:
            return rng.choice(SYL_A) + rng.choice(SYL_B)

        people = sorted({f"{rng.choice(FIRST)} {surname()}" for _ in range(3_000)})
        places = sorted({surname() + rng.choice(PLACE_END) for _ in range(600)})
        orgs = sorted({rng.choice(ORG_FORMS).format(p=p) for p in places * 2})
        names = sorted(
            {
                f"The {surname()} {k}"
                for k in (
                    "Post",
                    "Herald",
                    "Times",
                    "Echo",
                    "Chronicle",
                    "News",
                    "Gazette",
                    "Courier",
                )
                for _ in range(8)
            }
        )
        picked = rng.sample(names, PUBLISHER_COUNT)
        publishers = [
            (name, name.lower().removeprefix("the ").replace(" ", "") + ".example")
            for name in picked
        ]
        onsets = _words("b br c ch d dr f g gl h k l m n p pl r s sk st t tr v w z")
        vowels = _words("a e i o u ai ea ou")
        codas = _words("n m r l st nd rk sh t ck ll ge")
        lexicon = sorted(
            {
                "".join(
                    rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                    for _ in range(rng.randint(1, 2))
                )
                for _ in range(LEXICON_SIZE)
            }
        )
        return cls(
            people=people,
            places=places,
            orgs=orgs,
            publishers=publishers,
            lexicon=lexicon,
        )


@dataclass
class Event:
    kind: str
    start: datetime
    slots: dict[str, str]


@dataclass
class Record:
    """One generated article (the fields of an ``import-jsonl`` record and more)."""

    index: int
    publisher: int
    published: datetime
    title: str
    paragraphs: list[str]
    event: int
    photo: bool
    copy_of: int | None = None
    extra: dict = field(default_factory=dict)

    def as_import(self, cast: Cast) -> dict:
        name = cast.publishers[self.publisher][0]
        return {
            "url": self.url(cast),
            "title": self.title,
            "published": self.published.isoformat(),
            "source": name,
            "paragraphs": self.paragraphs,
            "id": self.index,
        }

    def url(self, cast: Cast) -> str:
        host = cast.publishers[self.publisher][1]
        return f"https://{host}/news/{self.published:%Y/%m/%d}/a{self.index}"


def _fill(template: str, slots: dict[str, str], rng: random.Random) -> str:
    values = dict(slots)
    values.update(
        adj=rng.choice(ADJ),
        adv=rng.choice(ADV),
        thing=rng.choice(THING),
        verb=rng.choice(VERB),
        group=rng.choice(COMMON).capitalize()
        if template.startswith("{group}")
        else rng.choice(COMMON),
        day=rng.choice(DAYS),
    )
    return template.format(**values)


class Stream:
    """The seeded article stream: ``records()`` yields N articles in published order."""

    def __init__(
        self,
        *,
        articles: int,
        seed: int,
        end: datetime,
        span: timedelta = SPAN,
        cast: Cast | None = None,
        first_index: int = 1,
    ) -> None:
        self.count = articles
        self.seed = seed
        self.end = end
        self.span = span
        self.cast = cast or Cast.build()
        self.first_index = first_index

    def _event(self, rng: random.Random) -> Event:
        kind = rng.choice(sorted(KINDS))
        person = rng.choice(self.cast.people)
        place = rng.choice(self.cast.places)
        slots = {
            "person": person,
            "surname": person.split()[-1],
            "place": place,
            "org": rng.choice(
                [o for o in self.cast.orgs if o.startswith(place) or place in o]
                or self.cast.orgs
            ),
            "n": str(rng.choice([2, 3, 4, 5, 12, 40, 60, 85, 120, 300, 1500])),
            "role": rng.choice(ROLES),
            "other": rng.choice(self.cast.people),
            "street": f"{rng.choice(self.cast.lexicon).capitalize()} "
            f"{rng.choice(['Street', 'Road', 'Lane', 'Avenue', 'Square'])}",
        }
        for i, word in enumerate(rng.sample(self.cast.lexicon, DETAILS_PER_EVENT)):
            slots[f"d{i}"] = word
        start = self.end - self.span + rng.random() * self.span
        return Event(kind=kind, start=start, slots=slots)

    def _article(
        self, rng: random.Random, event: Event, number: int
    ) -> tuple[str, list[str]]:
        kind = KINDS[event.kind]
        title = _fill(rng.choice(kind["head"]), event.slots, rng)
        title = title[0].upper() + title[1:]
        # Two or three of the kind's facts: what every report of such an event says.
        facts = [
            _fill(f, event.slots, rng)
            for f in rng.sample(kind["fact"], rng.randint(2, 3))
        ]
        details = [event.slots[f"d{i}"] for i in range(DETAILS_PER_EVENT)]
        paragraphs = []
        for p in range(rng.randint(4, 8)):
            sentences = [facts[p]] if p < len(facts) else []
            for _ in range(2):
                a, b, c = rng.sample(details, 3)
                slots = {**event.slots, "dA": a, "dB": b, "dC": c}
                sentences.append(_fill(rng.choice(DETAIL), slots, rng))
            if rng.random() < 0.5:
                sentences.append(_fill(rng.choice(FILLER), event.slots, rng))
            if p == 1:
                sentences.append(
                    f'"We are {rng.choice(ADV)} looking at the {rng.choice(details)}," '
                    f"said {event.slots['person']}."
                )
            rng.shuffle(sentences)
            paragraphs.append(" ".join(sentences))
        return title, paragraphs

    def records(self) -> list[Record]:
        """All N records, published order (ties by index)."""
        rng = random.Random(self.seed)
        cast = self.cast
        records: list[Record] = []
        events: list[Event] = []
        while len(records) < self.count:
            event = self._event(rng)
            events.append(event)
            # Most events are covered by a few publishers within hours; a major one
            # by most of them, with follow-ups over days (the big story pages).
            major = rng.random() < MAJOR_SHARE
            if major:
                coverage, hours = rng.randint(15, len(cast.publishers)), 30.0
                publishers = rng.sample(range(len(cast.publishers)), coverage) * 2
            else:
                coverage, hours = min(8, 1 + int(rng.expovariate(1 / 2.2))), 8.0
                publishers = rng.sample(range(len(cast.publishers)), coverage)
            for number, publisher in enumerate(publishers):
                if len(records) >= self.count:
                    break
                delay = timedelta(hours=rng.expovariate(1 / hours))
                published = min(event.start + delay, self.end)
                index = self.first_index + len(records)
                earlier = [
                    r
                    for r in records[-number:]
                    if number and r.event == len(events) - 1
                ]
                if earlier and rng.random() < COPY_SHARE * 2.5:
                    original = rng.choice(earlier)
                    paragraphs = list(original.paragraphs)
                    if len(paragraphs) > 4 and rng.random() < 0.5:
                        paragraphs = paragraphs[:-1]  # trimmed for space
                    record = Record(
                        index=index,
                        publisher=publisher,
                        published=max(published, original.published),
                        title=original.title,
                        paragraphs=paragraphs,
                        event=len(events) - 1,
                        photo=original.photo,
                        copy_of=original.index,
                    )
                else:
                    title, paragraphs = self._article(rng, event, number)
                    record = Record(
                        index=index,
                        publisher=publisher,
                        published=published,
                        title=title,
                        paragraphs=paragraphs,
                        event=len(events) - 1,
                        photo=rng.random() < PHOTO_SHARE,
                    )
                records.append(record)
        records.sort(key=lambda r: (r.published, r.index))
        return records


# --- the cache ---


def span_for(articles: int) -> timedelta:
    """How long a stream of ``articles`` spans (a younger site stores fewer)."""
    return SPAN * min(1.0, articles / FULL_SPAN_ARTICLES)


def default_end() -> datetime:
    """The start of today (UTC): the site's newest articles are a few hours old.

    ``BENCH_END=YYYY-MM-DD`` pins the day, so a run that crosses midnight keeps using
    the database it generated.
    """
    pinned = os.environ.get("BENCH_END")
    if pinned:
        return datetime.fromisoformat(pinned).replace(tzinfo=UTC)
    now = datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


# Bumped when the same (N, seed, end, span) would generate a different database: a
# cache made by an earlier version is not reused. 2: article ids in published order.
LAYOUT_VERSION = 2


def cache_key(articles: int, seed: int, end: datetime) -> str:
    hours = round(span_for(articles).total_seconds() / 3600)
    return f"n{articles}_s{seed}_{end:%Y%m%d}_h{hours}_v{LAYOUT_VERSION}"


def sqlite_path(articles: int, seed: int, end: datetime) -> Path:
    key = cache_key(articles, seed, end)
    return common.BENCH_HOME / f"articles_{key}" / common.SQLITE_NAME


def postgres_name(articles: int, seed: int, end: datetime) -> str:
    return f"{common.POSTGRES_PREFIX}_{cache_key(articles, seed, end)}"


def cached_url(articles: int, seed: int, end: datetime, vendor: str) -> str | None:
    """The cached database's URL, or None if it has not been generated."""
    if vendor == "sqlite":
        path = sqlite_path(articles, seed, end)
        return common.sqlite_url(path) if path.exists() else None
    name = postgres_name(articles, seed, end)
    return common.postgres_url(name) if common.postgres_exists(name) else None


def ensure_database(
    articles: int,
    seed: int = DEFAULT_SEED,
    *,
    vendor: str = "sqlite",
    end: datetime | None = None,
) -> str:
    """The URL of the generated database (generated in a child process if needed)."""
    end = end or default_end()
    url = cached_url(articles, seed, end, vendor)
    if url is not None:
        # Made before a schema change? Migrate it, as a running site is upgraded
        # (columns added since are left at their defaults).
        subprocess.run(
            [common.PYTHON, str(Path(__file__).resolve()), "--migrate", url],
            check=True,
        )
        return url
    subprocess.run(
        [
            common.PYTHON,
            str(Path(__file__).resolve()),
            "--articles",
            str(articles),
            "--seed",
            str(seed),
            "--vendor",
            vendor,
            "--end",
            end.date().isoformat(),
        ],
        check=True,
    )
    url = cached_url(articles, seed, end, vendor)
    if url is None:
        raise RuntimeError("generation finished but left no database")
    return url


# --- loading ---


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _raw_html(record: Record, cast: Cast) -> str:
    name = cast.publishers[record.publisher][0]
    body = "\n".join(f"<p>{p}</p>" for p in record.paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{record.title} | {name}</title>"
        f'<link rel="canonical" href="{record.url(cast)}"></head><body>'
        f"<header>{name}</header><article><h1>{record.title}</h1>"
        f'<time datetime="{record.published.isoformat()}"></time>{body}</article>'
        f"<footer>© {name}</footer></body></html>"
    )


def load(stream: Stream) -> dict[str, float]:
    """Run the stream through the in-memory pipeline cores and bulk-write the result
    into the (migrated, empty) database Django is set up for."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils.text import slugify

    from cupure.articles.models import Article
    from cupure.articles.services import _summary
    from cupure.cluster.stories import StoryClusterer, StoryDoc
    from cupure.sources.models import Feed, Publisher
    from cupure.stories.models import Story
    from cupure.stories.services import COPY_WINDOW, RELATED_LIMIT
    from cupure.text.fingerprint import CopyIndex, text_signature
    from cupure.text.topics import TopicResolver
    from cupure.trends.models import ArticleTopic, ResolverState
    from cupure.trends.services import LEAD_PARAGRAPHS

    timings: dict[str, float] = {}
    started = time.perf_counter()
    records = stream.records()
    timings["generate"] = time.perf_counter() - started
    cast = stream.cast
    now = datetime.now(UTC)

    with transaction.atomic():
        Publisher.objects.bulk_create(
            Publisher(
                id=i + 1, name=name, slug=slugify(name), homepage_url=f"https://{host}/"
            )
            for i, (name, host) in enumerate(cast.publishers)
        )
        Feed.objects.bulk_create(
            Feed(
                id=i + 1,
                publisher_id=i + 1,
                url=f"https://{host}/feed.xml",
                title=name,
                format="rss",
                last_polled_at=now,
                last_success_at=now,
            )
            for i, (name, host) in enumerate(cast.publishers)
        )

    clusterer = StoryClusterer(next_story_id=1)
    copies = CopyIndex()
    resolver = TopicResolver()
    stories: dict[int, Story] = {}
    story_publishers: dict[int, set[int]] = {}
    has_photo: dict[int, bool] = {}
    touched: set[int] = set()
    last_related = records[0].published if records else now
    articles: list[Article] = []
    by_id: dict[int, Article] = {}
    topics: list[ArticleTopic] = []
    planted_copies = found_copies = 0

    def refresh_related() -> None:
        for story_id in touched:
            if story_id in stories:
                stories[story_id].related = [
                    [other, round(score, 4)]
                    for other, score in clusterer.related(story_id, limit=RELATED_LIMIT)
                ]
        touched.clear()

    # The order of assignment across processes (stories.services), when the
    # schema has it: here, the published order.
    has_story_seq = any(f.name == "story_seq" for f in Article._meta.fields)
    started = time.perf_counter()
    for seq, record in enumerate(records, start=1):
        # Ids in published order, as ingest stores a site's articles (the search
        # candidates of a common word are its most recently stored matches).
        article_id = seq
        text = "\n\n".join(record.paragraphs)
        publisher_id = record.publisher + 1
        signature = list(text_signature(text))
        earlier = [
            m for m in copies.matches(signature) if m.published <= record.published
        ]
        duplicate_of = None
        planted_copies += record.copy_of is not None
        if earlier:
            original = by_id[earlier[0].doc_id]
            duplicate_of = original.duplicate_of_id or original.id
            story_id = original.story_id
            found_copies += 1
        else:
            if record.published - last_related >= RELATED_EVERY:
                refresh_related()
                last_related = record.published
            assignment = clusterer.assign(
                StoryDoc(
                    doc_id=article_id,
                    title=record.title,
                    text=text,
                    published=record.published,
                    source=str(publisher_id),
                )
            )
            story_id = assignment.story_id
        copies.add(article_id, signature, record.published)
        article = Article(
            id=article_id,
            publisher_id=publisher_id,
            url=record.url(cast),
            canonical_url=record.url(cast),
            title=record.title,
            slug=slugify(record.title)[:200],
            byline=f"By {cast.people[(record.index * 7919) % len(cast.people)]}",
            published=record.published,
            language="en",
            site_name=cast.publishers[record.publisher][0],
            summary=_summary(record.paragraphs),
            paragraphs=record.paragraphs,
            lead_image_src=(
                f"https://{cast.publishers[record.publisher][1]}/img/{record.index}.jpg"
                if record.photo
                else ""
            ),
            lead_image_caption="Photo from the scene" if record.photo else "",
            lead_image_credit=cast.publishers[record.publisher][0]
            if record.photo
            else "",
            raw_html=_raw_html(record, cast),
            story_id=story_id,
            duplicate_of_id=duplicate_of,
            external_id=record.index,
            signature=signature,
        )
        if has_story_seq:
            article.story_seq = seq
        articles.append(article)
        by_id[article_id] = article
        story = stories.get(story_id)
        if story is None:
            story = stories[story_id] = Story(
                id=story_id,
                title=record.title,
                slug=slugify(record.title)[:200],
                first_published=record.published,
                last_published=record.published,
                article_count=0,
                publisher_count=0,
                related=[],
            )
            story_publishers[story_id] = set()
        story.article_count += 1
        story_publishers[story_id].add(publisher_id)
        story.publisher_count = len(story_publishers[story_id])
        story.last_published = max(story.last_published, record.published)
        if duplicate_of is None and (
            story.lead_article_id is None
            or (record.photo and not has_photo[story.lead_article_id])
        ):
            story.lead_article_id = article_id
        has_photo[article_id] = record.photo
        if duplicate_of is None:
            touched.add(story_id)
        for closed in clusterer.close_stale(record.published):
            stories[closed].closed_at = record.published
        copies.prune(record.published - COPY_WINDOW)
        lead = " ".join(record.paragraphs[:LEAD_PARAGRAPHS])
        for mention in resolver.extract(record.title, lead, language="en"):
            topics.append(
                ArticleTopic(
                    article_id=article_id,
                    key=mention.key[:200],
                    name=mention.name[:300],
                    kind=mention.kind[:20],
                    story_id=story_id,
                    publisher_id=publisher_id,
                    published=record.published,
                )
            )
    refresh_related()
    timings["pipeline cores"] = time.perf_counter() - started
    timings["planted copies"] = planted_copies
    timings["copies found"] = found_copies
    timings["stories"] = len(stories)

    started = time.perf_counter()
    story_rows = list(stories.values())
    # Articles and stories point at each other: stories first without their lead.
    leads = {s.id: s.lead_article_id for s in story_rows}
    for s in story_rows:
        s.lead_article_id = None
    with transaction.atomic():
        for batch in _batches(story_rows, WRITE_BATCH):
            Story.objects.bulk_create(batch)
        for batch in _batches(articles, WRITE_BATCH):
            Article.objects.bulk_create(batch)
        for s in story_rows:
            s.lead_article_id = leads[s.id]
        for batch in _batches(story_rows, WRITE_BATCH):
            Story.objects.bulk_update(batch, ["lead_article"])
        for batch in _batches(topics, WRITE_BATCH * 5):
            ArticleTopic.objects.bulk_create(batch, ignore_conflicts=True)
        ResolverState.objects.update_or_create(
            pk=1, defaults={"state": resolver.to_json()}
        )
        # Explicit ids leave PostgreSQL's sequences behind: move them past our rows.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Publisher, Feed, Article, ArticleTopic, ResolverState]
            ):
                cursor.execute(sql)
    timings["bulk write"] = time.perf_counter() - started

    started = time.perf_counter()
    try:
        from cupure.search.services import search_reindex
    except ImportError:
        log.warning("cupure.search has not landed: no search index built")
    else:
        search_reindex()
    timings["search index"] = time.perf_counter() - started
    # Fresh statistics, as a long-running site has: the query planner needs them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return timings


def _generate(articles: int, seed: int, end: datetime, vendor: str) -> dict:
    """Build the cached database for (articles, seed, end, vendor)."""
    from_scratch = time.perf_counter()
    if vendor == "sqlite":
        final = sqlite_path(articles, seed, end)
        building = final.parent.with_suffix(".building") / common.SQLITE_NAME
        shutil.rmtree(building.parent, ignore_errors=True)
        building.parent.mkdir(parents=True)
        url = common.sqlite_url(building)
    else:
        final_name = postgres_name(articles, seed, end)
        building_name = final_name + "_building"
        common.postgres_drop(building_name)
        common.postgres_admin(f'CREATE DATABASE "{building_name}"')
        url = common.postgres_url(building_name)
    common.django_setup(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    timings = load(
        Stream(articles=articles, seed=seed, end=end, span=span_for(articles))
    )
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        shutil.rmtree(final.parent, ignore_errors=True)
        building.parent.rename(final.parent)
    else:
        connection.close()
        common.postgres_admin(
            f'ALTER DATABASE "{building_name}" RENAME TO "{final_name}"'
        )
    timings["total"] = time.perf_counter() - from_scratch
    return timings


def stream_digest(articles: int, seed: int, end: datetime) -> str:
    """A short hash of the generated records (to check that a seed reproduces)."""
    digest = hashlib.sha256()
    stream = Stream(articles=articles, seed=seed, end=end, span=span_for(articles))
    for record in stream.records():
        digest.update(f"{record.index}|{record.published}|{record.title}".encode())
        digest.update("\n".join(record.paragraphs).encode())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--vendor", choices=common.VENDORS, default="sqlite")
    parser.add_argument(
        "--end",
        type=lambda s: datetime.fromisoformat(s).replace(tzinfo=UTC),
        default=None,
        help="the day the stream ends (UTC, default: today)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild if cached")
    parser.add_argument(
        "--digest",
        action="store_true",
        help="print a hash of the records and exit (no database)",
    )
    parser.add_argument("--migrate", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.migrate:
        common.django_setup(args.migrate)
        from django.core.management import call_command

        from cupure.db import database_optimize

        call_command("migrate", interactive=False, verbosity=0)
        # As `cupure` does after migrating: the planner's statistics.
        database_optimize()
        return 0
    end = args.end or default_end()
    if args.digest:
        print(stream_digest(args.articles, args.seed, end))
        return 0
    if args.vendor == "postgres" and common.postgres_version() is None:
        print("PostgreSQL is not reachable at 127.0.0.1:5432", file=sys.stderr)
        return 2
    if args.force:
        if args.vendor == "sqlite":
            shutil.rmtree(sqlite_path(args.articles, args.seed, end).parent, True)
        else:
            common.postgres_drop(postgres_name(args.articles, args.seed, end))
    url = cached_url(args.articles, args.seed, end, args.vendor)
    if url is not None:
        print(f"cached: {url}")
        return 0
    timings = _generate(args.articles, args.seed, end, args.vendor)
    for name, value in timings.items():
        print(
            f"{name}: {value:.1f}" if isinstance(value, float) else f"{name}: {value}"
        )
    print(f"generated: {cached_url(args.articles, args.seed, end, args.vendor)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

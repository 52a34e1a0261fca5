"""Breaking news the demo publishes on demand (``cupure demo-publish``), so that a
reader of ``make demo`` sees an article arrive by WebSub push, not by a poll.

Fictional, like the rest of the demo; each publication is one new Meridian Wire
article, stamped with its time so that every one is a new article.
"""

from __future__ import annotations

from datetime import datetime

from cupure.demo.catalog import Article, Figure, Paragraph

FLASH_PUBLISHER = "meridian-wire"
FLASH_SECTION = "news"
FLASH_AUTHOR = "Meridian Wire staff"

FLASHES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Sund estuary ferry halted after engine fault; passengers taken off",
        "A Kessel–Marrowdale ferry stopped in the Sund estuary after an engine fault "
        "and its passengers were moved to a harbour launch.",
        (
            "The evening ferry from Kessel to Marrowdale stopped in the middle of the "
            "Sund estuary after an engine fault, the operator Sundlink said, and its "
            "112 passengers were moved to a harbour launch within the hour.",
            "Nobody was hurt, the coastguard said. Two tugs were towing the ferry back "
            "to the Kessel terminal, where engineers will inspect it overnight.",
            "Sundlink said the remaining crossings of the day were cancelled and that "
            "passengers holding tickets could travel on the first morning sailing or "
            "ask for a refund at the terminal desks.",
        ),
    ),
    (
        "Power cut leaves Kessel old town in the dark; trams stop",
        "A fault at the Lowbridge substation cut power to the old town and stopped "
        "trams on three lines.",
        (
            "Much of Kessel's old town lost power after a fault at the Lowbridge "
            "substation, the grid operator said, stopping trams on lines 2, 5 and 9 "
            "and leaving traffic lights dark at rush hour.",
            "Engineers had restored supply to about half of the 9,000 homes affected "
            "within forty minutes and expected the rest back within two hours.",
            "The tram company said replacement buses were running between the "
            "central station and Harbour Square while the overhead lines were "
            "checked.",
        ),
    ),
    (
        "Marrowdale council calls emergency session on river flood defences",
        "Councillors will meet tomorrow after engineers found a weakened section of "
        "the river wall near the old mill.",
        (
            "Marrowdale's council called an emergency session for tomorrow morning "
            "after engineers found a weakened section of the river wall near the old "
            "mill, the council leader said.",
            "Sandbags are being delivered to the forty houses closest to the wall as a "
            "precaution, although the river is below its warning level and no rain is "
            "forecast for the next two days.",
            "The council said repairs could begin within a week if the session "
            "approves the emergency spending the engineers have asked for.",
        ),
    ),
)


def flash_article(number: int, published: datetime, lead: Figure) -> Article:
    """The ``number``-th breaking article (1-based), published at ``published``;
    ``hours_ago`` is filled in by the site relative to its own clock."""
    headline, summary, paragraphs = FLASHES[(number - 1) % len(FLASHES)]
    stamp = published.strftime("%H:%M UTC")
    return Article(
        publisher=FLASH_PUBLISHER,
        slug=f"breaking-{number}-{published.strftime('%Y%m%d%H%M%S')}",
        event=f"breaking-{number}",
        section=FLASH_SECTION,
        hours_ago=0.0,
        headline=f"{headline} ({stamp})",
        author=FLASH_AUTHOR,
        summary=summary,
        lead=lead,
        blocks=tuple(
            Paragraph(f"{text} (Reported at {stamp}.)" if index == 0 else text)
            for index, text in enumerate(paragraphs)
        ),
    )

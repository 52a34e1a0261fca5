"""Tests for cupure.text.topics: topics from headlines and leads, merged and resolved.

Every headline here is written by us for the behaviour it checks.
"""

from __future__ import annotations

import json

import pytest

from cupure.text import headline_words
from cupure.text.topics import (
    KINDS,
    TopicMention,
    TopicResolver,
    extract_topics,
    topic_key,
)

# The words the seed page's nav showed; none of them may ever be a topic by itself.
SEED_NAV_GENERIC = [
    "police",
    "death",
    "woman",
    "reveals",
    "star",
    "city",
    "people",
    "home",
]


def keys(mentions: list[TopicMention]) -> list[str]:
    return [m.key for m in mentions]


def test_full_name_wins_over_honorific_and_surname() -> None:
    """'President Donald Trump' and a later 'Trump' in one article are one person."""
    mentions = extract_topics(
        "President Donald Trump greets Vladimir Putin in Alaska",
        "Trump shook hands with Putin at a base near Anchorage.",
    )
    by_key = {m.key: m for m in mentions}
    assert "donald-trump" in by_key
    assert by_key["donald-trump"].name == "Donald Trump"
    assert by_key["donald-trump"].kind == "person"
    assert "trump" not in by_key
    assert "vladimir-putin" in by_key
    assert "putin" not in by_key
    assert by_key["alaska"].kind == "place"


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        ("Trump says tariffs will stay", ""),
        ("Trump's tariffs anger farmers", ""),
        ("Trumps tariff plan explained", ""),
        ("Farmers fear what Trump will do next", "Growers said Trump had not called."),
    ],
)
def test_trump_variants_resolve_to_donald_trump(title: str, lead: str) -> None:
    """Once 'Donald Trump' is known, 'Trump', "Trump's" and 'Trumps' join him."""
    resolver = TopicResolver()
    resolver.extract("Donald Trump signs tariff order", "Donald Trump signed it.")
    assert "donald-trump" in keys(resolver.extract(title, lead))


def test_lowercase_trumps_as_the_name_resolves() -> None:
    """A stored key 'trumps' (the name, plural) maps to the known person."""
    resolver = TopicResolver()
    resolver.extract("Donald Trump visits Alaska", "")
    resolved = resolver.resolve([TopicMention("trumps", "trumps", "phrase")])
    assert keys(resolved) == ["donald-trump"]
    assert resolved[0].name == "Donald Trump"
    assert resolver.canonical("trump") == "donald-trump"
    assert resolver.canonical("trumps") == "donald-trump"
    assert resolver.canonical("alaska") == "alaska"


def test_surname_learned_after_key_was_stored() -> None:
    """A key stored before the full name was seen is moved to the full name later."""
    resolver = TopicResolver()
    assert keys(resolver.extract("Farmers wait for Trump on tariffs", "")) == ["trump"]
    resolver.extract("Donald Trump signs tariff order", "")
    assert resolver.canonical("trump") == "donald-trump"


def test_surname_shared_by_two_people_goes_to_the_most_mentioned() -> None:
    """'Biden' alone resolves to the Biden mentioned most; ties to the smaller key."""
    resolver = TopicResolver()
    for _ in range(3):
        resolver.extract("Joe Biden returns to Delaware", "")
    resolver.extract("Hunter Biden appears in court", "")
    assert resolver.canonical("biden") == "joe-biden"


@pytest.mark.parametrize(
    "title",
    [
        "Woman reveals star's home death shock as police probe city",
        "People react as police reveal death of city star at home",
        "STAR REVEALS HOME DEATH HORROR",
        "Police: Woman Found Dead At Star's City Home, People Reveal",
        "Heartbreaking video shows the moment people fled",
    ],
)
def test_headline_speak_and_generic_words_never_come_out(title: str) -> None:
    """Generic and headline-speak words are not topics, in any case style."""
    resolver = TopicResolver()
    out = keys(extract_topics(title, "Police said a woman died at home in the city."))
    out += keys(resolver.extract(title, "The star said people were shocked."))
    assert not set(out) & set(SEED_NAV_GENERIC), out
    assert not set(out) & headline_words.NEVER_A_TOPIC, out


def test_generic_word_inside_a_name_is_kept() -> None:
    """'Police' alone is no topic, but 'Metropolitan Police' is an organisation."""
    mentions = extract_topics(
        "Metropolitan Police open inquiry into Camden fire",
        "The Metropolitan Police said the fire began at night.",
    )
    by_key = {m.key: m for m in mentions}
    assert by_key["metropolitan-police"].kind == "organisation"
    assert "police" not in by_key


def test_honorific_star_and_demonym_are_dropped_from_names() -> None:
    """'Star Harry Styles' and 'Russian President Vladimir Putin' are the names."""
    mentions = extract_topics(
        "Star Harry Styles reveals new album",
        "Harry Styles met Russian President Vladimir Putin, officials said.",
    )
    assert keys(mentions) == ["harry-styles", "vladimir-putin"]


def test_title_case_headline_reads_against_its_lead() -> None:
    """In a Title Case headline capitals say nothing; the lead decides the names."""
    mentions = extract_topics(
        "Trump Reveals New Plan For Alaska Summit With Putin",
        "President Donald Trump on Friday unveiled a plan for talks with Vladimir "
        "Putin in Alaska.",
    )
    assert set(keys(mentions)) == {"donald-trump", "vladimir-putin", "alaska"}


def test_acronym_merges_with_its_full_name() -> None:
    """'FBI' beside 'Federal Bureau of Investigation' is one organisation."""
    resolver = TopicResolver()
    first = resolver.extract(
        "FBI searches offices in Denver",
        "The Federal Bureau of Investigation said agents searched two offices.",
    )
    assert "federal-bureau-of-investigation" in keys(first)
    assert "fbi" not in keys(first)
    later = resolver.extract("Court hears FBI agents' evidence", "")
    assert "federal-bureau-of-investigation" in keys(later)


def test_named_storm_is_one_event_in_any_case() -> None:
    """An ALL CAPS 'STORM CIARA' headline and 'Storm Ciara' in the lead: one event."""
    mentions = extract_topics(
        "STORM CIARA BATTERS BRITAIN", "Storm Ciara brought 90mph winds on Sunday."
    )
    by_key = {m.key: m for m in mentions}
    assert by_key["storm-ciara"].kind == "event"
    assert "ciara" not in by_key
    assert "storm" not in by_key


def test_key_phrase_needs_headline_and_lead_and_merges_inflections() -> None:
    """'interest rates' in headline and lead is a phrase keyed 'interest-rate'."""
    mentions = extract_topics(
        "Bank of England holds interest rates",
        "The Bank of England kept interest rates at 4% as inflation eased.",
    )
    assert keys(mentions) == ["bank-of-england", "interest-rate"]
    assert (mentions[1].name, mentions[1].kind) == ("interest rates", "phrase")
    singular = extract_topics("Interest rate held", "The interest rate was held.")
    assert keys(singular) == ["interest-rate"]
    single = extract_topics(
        "Heatwave grips southern Europe", "A heatwave gripped Spain on Monday."
    )
    plural = extract_topics("Heatwaves are getting longer", "The heatwaves of 2025.")
    assert "heatwave" in keys(single)
    assert "heatwave" in keys(plural)
    assert "grip" not in keys(single)


def test_phrase_not_confirmed_by_lead_is_not_a_topic() -> None:
    """A headline word the lead does not repeat is not a key phrase."""
    assert extract_topics("Budget plan divides ministers", "") == []


def test_sentence_initial_word_is_tentative_until_known() -> None:
    """'Storm hits coast' yields nothing; a tentative name is dropped unless known."""
    assert extract_topics("Storm hits coast", "") == []
    tentative = extract_topics("Starmer sets out plan", "", keep_tentative=True)
    assert [(m.key, m.tentative) for m in tentative] == [("starmer", True)]
    resolver = TopicResolver()
    assert resolver.extract("Starmer sets out plan", "") == []
    resolver.extract("Prime Minister Keir Starmer visits Leeds", "")
    assert keys(resolver.extract("Starmer sets out plan", "")) == ["keir-starmer"]


def test_middle_initial_and_abbreviated_title() -> None:
    """'Sen. Elizabeth A. Warren' is Elizabeth Warren, a person."""
    mentions = extract_topics("Sen. Elizabeth A. Warren questions bank bosses", "")
    assert [(m.key, m.kind) for m in mentions] == [("elizabeth-warren", "person")]


def test_topic_key_folds_accents_and_punctuation() -> None:
    """Keys are stable slugs: accents folded, '&' spelt out."""
    assert topic_key("Emmanuel Macrón") == "emmanuel-macron"
    assert topic_key("Marks & Spencer") == "marks-and-spencer"


def test_resolver_state_round_trips_through_json() -> None:
    """The state survives json.dumps/loads and resolves the same way afterwards."""
    resolver = TopicResolver()
    resolver.extract("Donald Trump visits Alaska", "")
    resolver.extract("Joe Biden returns to Delaware", "")
    data = json.loads(json.dumps(resolver.to_json()))
    restored = TopicResolver.from_json(data)
    assert restored.to_json() == resolver.to_json()
    assert restored.canonical("trump") == "donald-trump"
    assert keys(restored.extract("Trump's Alaska summit", "")) == [
        "donald-trump",
        "alaska",
    ]


def test_rebased_keeps_what_two_learners_learned_side_by_side() -> None:
    """Two workers start from one saved state and learn different people; the second
    to save keeps the first one's people, aliases and counts (no last-writer-wins)."""
    saved = TopicResolver()
    saved.extract("Donald Trump visits Alaska", "")
    first, second = saved.copy(), saved.copy()
    first.extract("Joe Biden returns to Delaware", "")
    second.extract("Donald Trump meets Angela Merkel", "")
    after_first = first.rebased(saved, saved)
    merged = second.rebased(saved, after_first).to_json()
    assert merged["topics"]["joe-biden"]["count"] == 1
    assert merged["topics"]["angela-merkel"]["count"] == 1
    assert merged["topics"]["donald-trump"]["count"] == 2
    assert merged["aliases"]["biden"] == {"joe-biden": 1}
    assert merged["aliases"]["merkel"] == {"angela-merkel": 1}
    assert merged["aliases"]["trump"] == {"donald-trump": 2}
    # Rebasing onto the state it came from changes nothing.
    assert second.rebased(saved, saved).to_json() == second.to_json()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": 99, "topics": {}, "aliases": {}},
        {"version": 1, "topics": []},
        {"version": 1, "topics": {"x": {"name": "X", "kind": "alien"}}, "aliases": {}},
    ],
)
def test_resolver_rejects_malformed_state(data: dict) -> None:
    """Malformed state raises ValueError telling the operator to rebuild it."""
    with pytest.raises(ValueError, match=r"(rebuild|malformed)"):
        TopicResolver.from_json(data)


def test_kinds_are_from_the_declared_set() -> None:
    """Every mention's kind is one of KINDS."""
    mentions = extract_topics(
        "Paris Olympics organisers and NATO chiefs meet in Geneva",
        "The International Olympic Committee met NATO officials in Geneva on Monday.",
    )
    assert mentions
    assert {m.kind for m in mentions} <= set(KINDS)
    assert "paris-olympics" in keys(mentions)


def test_shouted_words_in_a_headline_are_not_acronyms() -> None:
    """'FERRANTE THE HERO!' gives the footballer the lead names, not 'THE', 'HERO'."""
    mentions = extract_topics(
        "FERRANTE THE HERO! Mariners snatch late win",
        "Luca Ferrante scored twice as the Kessel Mariners won on Sunday.",
    )
    assert keys(mentions) == ["luca-ferrante", "kessel-mariners"]


def test_real_acronyms_and_camel_case_names_are_kept() -> None:
    """'U.S.', 'UK' and 'NATO' are names though 'us' is a pronoun; so is 'iPhone'."""
    assert keys(extract_topics("NATO and U.S. leaders meet in UK", "")) == [
        "nato",
        "us",
        "uk",
    ]
    assert "iphone" in keys(extract_topics("Apple unveils new iPhone", ""))


def test_title_case_surname_that_is_a_dictionary_word() -> None:
    """'Marta Wells Warns ...': 'Wells' stays part of the name as the lead has it."""
    mentions = extract_topics(
        "Marta Wells Warns City Faces Tough Winter",
        "Wells said on Tuesday that the council was ready.",
    )
    assert keys(mentions) == ["marta-wells"]


def test_alias_to_a_topic_missing_from_state_is_ignored() -> None:
    """Hand-edited state whose alias names no topic resolves the key to itself."""
    resolver = TopicResolver.from_json(
        {"version": 1, "topics": {}, "aliases": {"trump": {"donald-trump": 3}}}
    )
    assert resolver.canonical("trump") == "trump"
    assert resolver.extract("Farmers wait for Trump", "") == [
        TopicMention("trump", "Trump", "phrase")
    ]


@pytest.mark.parametrize("language", ["fr", "xx", "", "EN-gb"])
def test_any_language_code_yields_names_without_error(language: str) -> None:
    """Names come from capitals in any language; unknown codes fall back quietly."""
    mentions = extract_topics(
        "Emmanuel Macron rencontre Olaf Scholz",
        "Le président Emmanuel Macron a rencontré le chancelier.",
        language=language,
    )
    assert keys(mentions)[:2] == ["emmanuel-macron", "olaf-scholz"]


@pytest.mark.parametrize(
    ("title", "lead", "expected"),
    [
        (
            "Dockers stop work at Berth 9 as talks stall",
            "Workers at Berth 9 walked out on Tuesday.",
            "berth-9",
        ),
        ("Lakeside Rail files for Chapter 11", "", "chapter-11"),
        ("Charlotte-based Velmora to buy Fennick", "", "velmora"),
        ("Pizza-maker Dorrino files for bankruptcy", "", "dorrino"),
        ("Disappointing Kessland data weighs on shares", "", "kessland"),
    ],
)
def test_names_keep_their_number_and_lose_their_descriptor(
    title: str, lead: str, expected: str
) -> None:
    """A short number after a name is part of it ("Berth 9", not the fragment
    "Berth"); a descriptive word before a name is not ("Charlotte-based",
    "Disappointing"): issue #15."""
    found = keys(extract_topics(title, lead))

    assert expected in found
    stem = expected.split("-")[0]
    assert [k for k in found if k.startswith(stem) or k.endswith(stem)] == [expected]


def test_a_year_after_a_name_is_not_part_of_it() -> None:
    assert "sochi-2026" not in keys(
        extract_topics("Crowds gather in Sochi 2026 fan zone", "")
    )


def test_names_run_together_split_into_the_known_topics() -> None:
    """A headline running two known names together ("Korvex One Tallfire Bundle")
    names both; one not seen before stays whole."""
    resolver = TopicResolver()
    for _ in range(3):
        resolver.extract("Gamers queue for Tallfire at midnight", "")
        resolver.extract("Sales of the Korvex One slow down", "")

    found = keys(resolver.extract("Price cut: Korvex One Tallfire bundle", ""))

    assert found[:2] == ["korvex-one", "tallfire"]
    assert "korvex-one-tallfire" not in found
    # Two one-word people are not split off a name ("Mara Quist" stays whole).
    for _ in range(3):
        resolver.extract(
            "Port report",
            "The ferry was late, Mara said on the quay. Later Quist told reporters.",
        )
    assert resolver.name_of("mara") == "Mara"
    assert resolver.name_of("quist") == "Quist"
    assert "mara-quist" in keys(resolver.extract("Dockers cheer Mara Quist", ""))


def test_a_headlines_first_adjective_is_not_part_of_a_name() -> None:
    """ "Cool Vera Lindqvist chills out": the person is Vera Lindqvist; "Saint Orm
    Kessby" keeps its first word (one that begins names)."""
    found = keys(extract_topics("Cool Vera Lindqvist chills out with committee", ""))
    assert found == ["vera-lindqvist"]
    assert keys(extract_topics("Saint Orm Kessby chapel reopens", "")) == [
        "saint-orm-kessby"
    ]


def test_a_double_dash_separates_names() -> None:
    found = keys(
        extract_topics(
            "Nerdvana -- Kosmora relaunches on Sunday", "", keep_tentative=True
        )
    )
    assert "kosmora" in found
    assert "nerdvana-kosmora" not in found


def test_resolver_reads_a_nationality_as_its_country() -> None:
    """ "Libyan" in a headline is about Libya once Libya is known: not a second
    topic beside it."""
    resolver = TopicResolver()
    for _ in range(3):
        resolver.extract("Rebels seize the port in Ardistan", "")
    assert keys(resolver.extract("Ardistani navy stops tanker", "")) != ["ardistan"]
    assert keys(resolver.extract("Ardistan navy stops tanker", "")) == ["ardistan"]
    for _ in range(3):
        resolver.extract("Rebels seize the port in Kalmoria", "")
    assert keys(resolver.extract("Kalmorian navy stops tanker", "")) == ["kalmoria"]


def test_resolver_keeps_an_acronym_in_capitals() -> None:
    """A shouted headline writes "Sxsw" once it is re-cased; the acronym stays
    "SXSW" when it is seen in capitals."""
    resolver = TopicResolver()
    resolver.extract("BANDS FLOCK TO SXSW FOR OPENING NIGHT", "")
    resolver.extract("Film makers meet at SXSW in Austin", "")
    assert resolver.name_of("sxsw") == "SXSW"


def test_a_headline_alone_gives_its_noun_phrases_to_the_resolver() -> None:
    """With no lead to confirm them, a headline's noun phrases ("gas prices") are
    kept for the article by the resolver (trends need several publishers to use
    them), not learned as topics; a plural or a verb before the last word is not a
    phrase ("farmers wait", "divides ministers"). (A verb in "-s" last, "budget
    divides", cannot be told from a plural without a lead; several publishers
    rarely write the same one.)"""
    resolver = TopicResolver()

    found = resolver.extract("Drivers brace as gas prices climb again", "")

    assert [(m.key, m.name, m.kind) for m in found] == [
        ("gas-price", "gas prices", "phrase")
    ]
    assert resolver.name_of("gas-price") is None
    assert keys(resolver.extract("Farmers wait as plan divides ministers", "")) == []
    assert keys(resolver.extract("Medical marijuana booming in Colorado", ""))[-1:] == [
        "medical-marijuana"
    ]
    # A lead that does not repeat the phrase still rules it out.
    assert resolver.extract("Gas prices climb", "Drivers paid more on Monday.") == []


def test_a_title_case_headline_alone_gives_no_phrases() -> None:
    """In Title Case a name's words read as common words ("American Eagle
    Outfitters" as "eagle outfitters"): with no lead, no phrase is taken."""
    resolver = TopicResolver()
    found = resolver.extract("Bears Take Aim At Eagle Outfitters Shares", "")
    assert [m for m in found if m.kind == "phrase" and " " in m.name] == []
    assert keys(resolver.extract("Drivers brace as gas prices climb", "")) == [
        "gas-price"
    ]


def test_a_title_case_headline_names_what_the_resolver_knows() -> None:
    """ "Bank Of England Overhauls Regulatory Oversight": Title Case hides which
    words are names; the longest span the resolver knows is kept, and no part of
    it."""
    resolver = TopicResolver()
    headline = "Bank Of England Overhauls Regulatory Oversight"
    assert resolver.extract(headline, "") == []
    for _ in range(3):
        resolver.extract("Shares fall in England as rates rise", "")
    assert keys(resolver.extract(headline, "")) == ["england"]
    for _ in range(3):
        resolver.extract("Traders wait for the Bank of England", "")

    assert keys(resolver.extract(headline, "")) == ["bank-of-england"]


def test_a_nationality_stored_before_its_country_was_known_moves_to_it() -> None:
    resolver = TopicResolver()
    resolver.extract("Rebels seize tanker off the coast, Kalmorian officials say", "")
    assert resolver.canonical("kalmorian") == "kalmorian"
    for _ in range(3):
        resolver.extract("Rebels seize the port in Kalmoria", "")

    assert resolver.canonical("kalmorian") == "kalmoria"


def test_a_title_case_guess_does_not_repeat_a_name_found() -> None:
    """ "Vellmark Motors Recalls Cars": Title Case hides "Motors", so "Vellmark" (a
    known town) is found alone; the known fuller name replaces it."""
    resolver = TopicResolver()
    for _ in range(3):
        resolver.extract("Floods close roads in Vellmark", "")
    headline = "Vellmark Motors Recalls Cars In Spring"
    assert keys(resolver.extract(headline, "")) == ["vellmark"]
    for _ in range(3):
        resolver.extract("Shares of Vellmark Motors fall", "")

    assert keys(resolver.extract(headline, "")) == ["vellmark-motors"]

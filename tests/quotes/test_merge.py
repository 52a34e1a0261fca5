"""One quote from several publishers shown once; speakers' name variants joined."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cupure.quotes.merge import (
    QuoteItem,
    merge_quotes,
    name_key,
    same_quote,
    speaker_groups,
)

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def item(
    text: str, speaker: str, publisher: str, hours: int, role: str = ""
) -> QuoteItem:
    return QuoteItem(
        text=text,
        speaker=speaker,
        role=role,
        kind="person",
        publisher=publisher,
        published=START + timedelta(hours=hours),
        url=f"/{publisher}#p1",
    )


def test_name_keys_drop_case_accents_titles_and_punctuation():
    assert name_key("Ms. Jane Doé") == "jane doe"
    assert name_key("DR JANE DOE") == "jane doe"


def test_a_surname_joins_the_one_full_name_it_ends():
    groups = speaker_groups(["Jane Doe", "Doe", "Ms Doe", "John Roe"])
    assert groups["Doe"] == groups["Ms Doe"] == groups["Jane Doe"] == "jane doe"
    assert groups["John Roe"] == "john roe"
    # Two full names end with "Doe": a bare "Doe" stays apart.
    assert speaker_groups(["Jane Doe", "Tom Doe", "Doe"])["Doe"] == "doe"


def test_the_same_words_with_other_marks_or_trimmed_are_one_quote():
    assert same_quote(
        "“We will not move until the offer changes,”",
        '"We will not move until the offer changes. Not this week."',
    )
    assert not same_quote("“We will not move,”", "“The offer is fair and final.”")


def test_merge_credits_the_first_publisher_and_lists_the_others_once():
    speakers = merge_quotes(
        [
            item("“We will not move until the offer changes,”", "Doe", "Post", 2),
            item(
                "“We will not move until the offer changes.”", "Jane Doe", "Ledger", 1
            ),
            item("“We will not move until the offer changes”", "Jane Doe", "Post", 3),
            item(
                "“The offer is fair,”", "John Roe", "Ledger", 1, role="chief executive"
            ),
            item(
                "“We are ready to talk again,”",
                "Jane Doe",
                "Coast",
                4,
                role="secretary",
            ),
        ]
    )
    assert [s.name for s in speakers] == ["Jane Doe", "John Roe"]
    doe = speakers[0]
    assert doe.role == "secretary"
    first, second = doe.quotes
    assert first.first.publisher == "Ledger"
    assert [o.publisher for o in first.others] == ["Post"]
    assert first.text == "“We will not move until the offer changes.”"
    assert second.publishers == ["Coast"]


def test_a_closing_comma_is_shown_as_a_full_stop():
    (speaker,) = merge_quotes([item("“We are ready,”", "Jane Doe", "Ledger", 1)])
    assert speaker.quotes[0].text == "“We are ready.”"


def test_quotes_without_a_speaker_are_left_out():
    assert merge_quotes([item("“Nobody said this,”", "", "Ledger", 1)]) == []


def test_a_partial_statement_is_led_by_its_verb_and_a_whole_quote_is_not():
    def lead(text: str, cue: str) -> str:
        quote = item(text, "Jane Doe", "Post", 1)
        return merge_quotes([replace(quote, cue=cue)])[0].quotes[0].lead

    assert lead("it “a small miracle”", "calling") == "calling"
    assert lead("the ferry “a lifeline” for the island", "called") == "called"
    # A verb that names its object comes before it, whatever its case.
    assert lead("Doe “Little Eddie”", "called") == "called"
    assert lead("the tax as “a burden”", "referred to") == "referred to"
    assert lead("“A burden,”", "called") == ""
    # Whole quotes, statements that start a sentence (their verb comes after)
    # and "according to" (which follows its words) are shown alone.
    assert lead("“We will not move,”", "said") == ""
    assert lead("The plan is “dead,”", "said") == ""
    assert lead("the plan is “dead,”", "according to") == ""
    assert lead("the plan is “dead,”", "") == ""
    assert lead("we will not move", ":") == ""
    # "told" leaves its addressee out of the statement: "told that …" would not read.
    assert lead("that the streets were “never built for it”", "told") == ""
    assert lead("that the streets were “never built for it”", "said") == "said"

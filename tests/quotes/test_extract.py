"""The quote extractor on texts written for these tests: each shape of attribution
the issue lists, and the quotation marks that are not quotes."""

from __future__ import annotations

import time

import pytest

from cupure.quotes.extract import Quote, extract_quotes, paragraph_spans


def quotes(*paragraphs: str) -> list[Quote]:
    return extract_quotes("\n\n".join(paragraphs))


def only(*paragraphs: str) -> Quote:
    found = quotes(*paragraphs)
    assert len(found) == 1, found
    return found[0]


def test_offsets_point_at_the_quote_in_the_text():
    text = "Intro line.\n\n“We will not move,” said Jane Doe.\n\nLast."
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "“We will not move,”"
    assert quote.text == "“We will not move,”"
    assert quote.paragraph == 1


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("“The port is closed,” said Jane Doe.", "said"),
        ("“The port is closed,” Jane Doe said.", "said"),
        ("Jane Doe told the Ledger: “The port is closed.”", "told"),
        ("Jane Doe wrote on her blog: “The port is closed.”", "wrote"),
        ("“The port is closed,” Jane Doe added.", "added"),
        ("“The port is closed,” according to Jane Doe.", "according to"),
        ('"The port is closed," said Jane Doe.', "said"),
    ],
)
def test_cues_and_straight_or_curly_marks(sentence, cue):
    quote = only(sentence)
    assert quote.speaker == "Jane Doe"
    assert quote.cue == cue
    assert "The port is closed" in quote.text


def test_role_from_an_appositive_and_from_words_before_the_name():
    after = only("“We will not move,” said Jane Doe, the port's chief executive.")
    assert after.role == "port's chief executive"
    before = only("Union secretary Sam Lee said: “We are ready to talk.”")
    assert (before.speaker, before.role) == ("Sam Lee", "Union secretary")


def test_a_split_quote_is_one_quote_in_two_parts():
    text = "“We are ready,” said Sam Lee, “but not at any price.”"
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Sam Lee"
    assert len(quote.parts) == 2
    assert [text[a:b] for a, b in quote.parts] == [
        "“We are ready,”",
        "“but not at any price.”",
    ]
    assert quote.text == "“We are ready,” “but not at any price.”"


def test_a_quote_spanning_paragraphs_continues_without_a_closing_mark():
    text = (
        "Sam Lee said: “The first thing is pay.\n\n"
        "“The second thing is safety on the cranes.”\n\nOther news."
    )
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Sam Lee"
    assert text[quote.start : quote.end].endswith("safety on the cranes.”")
    assert quote.start == text.index("“The first")


def test_a_partial_quote_inside_a_sentence_counts_with_its_statement():
    quote = only("Jane Doe said the union's demands were “simply unaffordable”.")
    assert quote.speaker == "Jane Doe"
    assert "“simply unaffordable”" in quote.text
    assert quote.text.startswith("the union's demands")


def test_pronouns_resolve_to_the_person_named_before():
    first, second = quotes(
        "Port chief executive Daniel Reyes met the press on Monday.",
        "“We cannot pay more,” he said.",
        "Union secretary Maria Okafor disagreed. “They can,” she said.",
    )
    assert first.speaker == "Daniel Reyes"
    assert first.role == "Port chief executive"
    assert second.speaker == "Maria Okafor"


def test_descriptions_resolve_to_the_person_with_that_role_or_age():
    by_role, by_age = quotes(
        "Mayor Ana Silva, 43, visited the docks, and Tom Hart, the harbour master, "
        "came too.",
        "“The city will not take sides,” the mayor said.",
        "“I have seen strikes before,” the 43-year-old added.",
    )
    assert by_role.speaker == "Ana Silva"
    assert by_age.speaker == "Ana Silva"
    assert by_age.cue == "added"


def test_a_surname_is_the_person_named_in_full_before():
    first, later = quotes(
        "“We will stay out,” said Maria Okafor.",
        "“Nothing has changed,” Okafor said on Tuesday.",
    )
    assert first.speaker == later.speaker == "Maria Okafor"


def test_organisations_speak():
    quote = only('The ministry said in a statement: "Both sides must return to talks."')
    assert quote.speaker.lower() == "the ministry"
    named = only("“Talks resume Friday,” the Harbour Workers' Union said.")
    assert "Harbour Workers" in named.speaker


def test_a_quote_paragraph_after_an_attributed_one_continues_the_statement():
    text = (
        "“The first thing is pay,” said Sam Lee.\n\n"
        "“And the second is safety on the cranes.”\n\n"
        "“Talks resume Friday,” the ministry said."
    )
    first, second = extract_quotes(text)
    assert first.speaker == "Sam Lee"
    assert [text[a:b] for a, b in first.parts] == [
        "“The first thing is pay,”",
        "“And the second is safety on the cranes.”",
    ]
    assert first.paragraph == 0
    assert second.speaker == "the ministry"


def test_a_paragraph_ending_with_a_colon_introduces_the_quote():
    (quote,) = quotes(
        "The union's general secretary, Maria Okafor, wrote to members on Sunday:",
        "“The offer is not good enough and we will not sign it.”",
    )
    assert quote.speaker == "Maria Okafor"
    assert quote.cue == "wrote"


def test_two_quoted_sentences_around_an_attribution_are_one_statement():
    text = "“We are ready,” said Sam Lee. “The owners are not.”"
    (quote,) = extract_quotes(text)
    assert quote.end == len(text)
    assert len(quote.parts) == 2


@pytest.mark.parametrize(
    "paragraph",
    [
        'The control room got new 55" screens and a 6\'2" door last year.',
        'Critics called the plan a so-called "modernisation" of the port.',
        "She reviewed “The Art of the Deal” for the Ledger.",
        'The Ledger ran the story under the headline "Port strike enters second week".',
        "“Port Strike Enters Second Week”",
        "The union's “plan” was a surprise to everyone at the docks.",
    ],
)
def test_marks_that_are_not_quotes(paragraph):
    assert quotes(paragraph) == []


def test_no_quotes_in_text_without_marks():
    assert quotes("Jane Doe said the port would reopen.") == []


def test_paragraph_spans_skip_blank_lines():
    text = "One.\n\n  \n\nTwo is here.\n"
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["One.", "Two is here."]


def test_unclosed_quote_at_the_end_is_kept_to_the_end_of_the_text():
    text = "Sam Lee said: “We will stay out"
    (quote,) = extract_quotes(text)
    assert quote.end == len(text)
    assert quote.speaker == "Sam Lee"


def test_without_a_cue_the_named_subject_speaks():
    quote = only(
        "Maria Okafor also embraced the walkout — “we gave the owners every chance "
        "to make a fair offer.”"
    )
    assert quote.speaker == "Maria Okafor"
    assert quote.cue == ""
    assert quote.text.endswith("fair offer.”")


def test_a_parenthetical_attribution_keeps_the_whole_sentence():
    text = (
        "Donations are checked every week, Sam Lee said, but “we never ask about pay.”"
    )
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Sam Lee"
    assert text[quote.start : quote.end].startswith("Donations are checked")


def test_a_described_speaker_in_a_later_paragraph_is_not_the_earlier_person():
    """The demo's Storm Edda story credited a rail spokeswoman's words to the
    emergency chief named a paragraph before."""
    first, second = quotes(
        "Emergency chief Jonas Ekdahl said “nobody was hurt”.",
        "A spokeswoman for Northwind Rail said engineers could not start. "
        "“Safety comes first,” she said.",
    )
    assert first.speaker == "Jonas Ekdahl"
    assert second.speaker == "A spokeswoman for Northwind Rail"


def test_a_naming_cue_quotes_the_name_with_its_object():
    """A naming cue's object belongs to the statement, pronoun or not: "calling it
    “…”" says the words of "it", as "calling the rescue “…”" does of the rescue."""
    quote = only("Jonas Ekdahl said nobody was hurt, calling it “a small miracle”.")
    assert quote.speaker == "Jonas Ekdahl"
    assert quote.text == "it “a small miracle”"


def test_an_addressee_is_not_part_of_the_statement():
    """In "told him “…”", him is who heard the words, not what they are about."""
    quote = only("Jonas Ekdahl told him “nobody was hurt.”")
    assert quote.text == "“nobody was hurt.”"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Jane Doe attacked the fees, which she called “a tax on every ship.”",
            "which she called “a tax on every ship.”",
        ),
        (
            "Jane Doe attacked what she called “a tax on every ship.”",
            "what she called “a tax on every ship.”",
        ),
        (
            "The fees led to what union secretary Sam Lee described as “a tax on "
            "every ship.”",
            "what union secretary Sam Lee described as “a tax on every ship.”",
        ),
        # After a preposition, "which" is not what the cue reports ...
        (
            "It was an interview in which Jane Doe said the fees were “a tax on "
            "every ship.”",
            "the fees were “a tax on every ship.”",
        ),
        # ... nor is a relative clause closed by a comma before the cue.
        (
            "Jane Doe, who heads the board which the city owns, said “the fees "
            "will go.”",
            "“the fees will go.”",
        ),
    ],
)
def test_a_relative_pronoun_the_cue_reports_on_is_part_of_the_statement(
    sentence, content
):
    """In "which she called “…”" and "what he described as “…”", the pronoun is
    the cue's object, what the quoted words are said of."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


# --- boundaries and recall (#19, second pass) ---------------------------------------


def test_a_quoted_sentence_then_a_new_sentence_with_its_own_cue():
    """After a quote closed by a full stop, “He said the …” is a new sentence, so
    its statement starts at its own reported words, not at the earlier quote."""
    text = (
        "Ann Cole called the offer “a slap in the face.” She said the dockers "
        "“will not forget it” for a long time."
    )
    found = extract_quotes(text)
    assert [text[q.start : q.end] for q in found] == [
        "the offer “a slap in the face.”",
        "the dockers “will not forget it” for a long time",
    ]
    assert [q.speaker for q in found] == ["Ann Cole", "Ann Cole"]


def test_an_attribution_after_a_full_stop_still_closes_the_sentence():
    """“…” Jane Doe said. — the attribution still belongs to the quote before it,
    also when a time or place follows the cue."""
    text = "“The port is closed.” Jane Doe said on Tuesday. The ships waited."
    quote = only(text)
    assert quote.speaker == "Jane Doe"
    assert text[quote.start : quote.end] == "“The port is closed.”"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "A slower year, Jane Doe said, “would give the port time to dredge.”",
            "A slower year, Jane Doe said, “would give the port time to dredge.”",
        ),
        (
            "If the strike goes on, she said, “the ships will go to Rotterdam.”",
            "If the strike goes on, she said, “the ships will go to Rotterdam.”",
        ),
        # Scene-setting before the attribution is not what was said.
        (
            "In a statement, Jane Doe said, “The port will stay open.”",
            "“The port will stay open.”",
        ),
        (
            "Two days later, Jane Doe said, “The port will stay open.”",
            "“The port will stay open.”",
        ),
        (
            "Holding up the contract, Jane Doe said, “The port will stay open.”",
            "“The port will stay open.”",
        ),
    ],
)
def test_words_before_a_parenthetical_attribution_are_reported(sentence, content):
    """An attribution set off by commas inside a sentence (“X, she said, …”)
    reports the words before it too, unless they only set the scene."""
    quote = only("Jane Doe runs the port.", sentence)
    text = "Jane Doe runs the port.\n\n" + sentence
    assert text[quote.start : quote.end] == content


def test_a_capitalised_cue_word_inside_a_name_is_not_a_cue():
    """“States” in “the United States” is part of a name: the cue is the verb
    before it, and the statement starts at its “that”."""
    text = "Jane Doe said that the United States “should lower its harbour fees.”"
    quote = only(text)
    assert (quote.speaker, quote.cue) == ("Jane Doe", "said")
    assert text[quote.start : quote.end].startswith("that the United States")


def test_a_lower_case_cue_word_is_still_a_cue():
    """The same word as a verb in running text still attributes the quote."""
    quote = only("The union’s report states that the port is “closed for good.”")
    assert quote.cue == "states"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        # A new clause with its own subject and verb is not the reported words.
        (
            "After Jane Doe called the offer “an insult,” the union’s leaders "
            "walked out.",
            "the offer “an insult,”",
        ),
        (
            "Though Jane Doe said the port was “open for business,” the ships "
            "stayed away.",
            "the port was “open for business,”",
        ),
        # A source tag in brackets closes the item.
        (
            "Jane Doe said the port was “open for business.” [Ledger.]",
            "the port was “open for business.”",
        ),
        # Words that go on with the same statement still belong to it.
        (
            "Jane Doe said the port was “open for business,” the first time in "
            "a month.",
            "the port was “open for business,” the first time in a month",
        ),
        (
            "Jane Doe said the port was “open for business” to every ship.",
            "the port was “open for business” to every ship",
        ),
    ],
)
def test_where_the_words_after_a_quote_stop(sentence, content):
    """The statement takes the words after its last quote only while they go on
    with it."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


def test_a_line_after_a_bracketed_source_is_a_new_paragraph():
    """“… [Ledger.]” then a line break: the next line is another item, and its
    quote is not joined to the one before."""
    text = (
        "Jane Doe said the port was “open for business.” [Ledger.]\n"
        "Sam Lee said the strike was “over for now.”"
    )
    found = extract_quotes(text)
    assert [q.speaker for q in found] == ["Jane Doe", "Sam Lee"]
    assert [q.paragraph for q in found] == [0, 1]


def test_an_opening_mark_typed_for_a_closing_one_closes_the_quote():
    """“We are closed,“ said Jane Doe. — the second mark stands where a closing
    mark belongs (after a word, before a space), so it closes the quote."""
    text = "“We are closed,“ said Jane Doe. “The ships will have to wait.”"
    quote = only(text)
    assert quote.speaker == "Jane Doe"
    assert quote.parts[0] == (0, len("“We are closed,“"))


def test_an_opening_mark_after_a_space_still_opens_a_quote():
    """A mark after a space opens the next quote even while one is open."""
    quote = only("Jane Doe said: “We came, “we saw” and we stayed.”")
    assert quote.speaker == "Jane Doe"


def test_a_short_answer_introduced_by_a_cue_is_a_quote():
    """Asked when the port reopens, Sam Lee said, “Tomorrow.” — one capitalised
    word after a cue and a comma is speech, not a title."""
    quote = only("Asked when the port reopens, Sam Lee said, “Tomorrow.”")
    assert (quote.speaker, quote.text) == ("Sam Lee", "“Tomorrow.”")


def test_a_title_after_a_naming_verb_is_still_not_a_quote():
    """“called it:” names a thing; a title after it stays out."""
    assert quotes("The paper called it: “The Long Goodbye.”") == []


BODY = "Jane Doe, the port's chief executive, spoke to reporters on Tuesday."


@pytest.mark.parametrize(
    ("headline", "content", "cue"),
    [
        ("Jane Doe: Port ‘Will Not Close’ This Winter", "Port ‘Will Not Close’ "
         "This Winter", ":"),
        ("Doe: Port ‘Will Not Close’ This Winter.", "Port ‘Will Not Close’ This "
         "Winter", ":"),
        ("Jane Doe Says Port ‘Will Not Close’", "Port ‘Will Not Close’", "says"),
        ("Port ‘Will Not Close,’ Jane Doe Says", "Port ‘Will Not Close,’", "says"),
        # The speaker's second verb before the quote; a remark after a dash.
        ("Jane Doe Says Strike Is Over, Calls Deal ‘Historic’", "Deal ‘Historic’",
         "says"),
        ("Jane Doe Says Port ‘Will Not Close’ – Here’s Why", "Port ‘Will Not "
         "Close’", "says"),
    ],
)  # fmt: skip
def test_a_headline_attributes_its_quote_the_way_headlines_do(headline, content, cue):
    """“Doe: …”, “Doe Says …” and “…, Doe Says” attribute a headline's words; its
    title case says nothing about titles of works there."""
    found = quotes(headline, BODY)
    assert len(found) == 1
    quote = found[0]
    assert (quote.text, quote.cue) == (content, cue)
    # The headline comes before the body that gives the full name.
    assert quote.speaker in {"Jane Doe", "Doe"}


@pytest.mark.parametrize(
    "headline",
    [
        # A section name is not a speaker: the article never names "Review".
        "Review: ‘The Long Goodbye’ Returns to the Stage",
        # A headline naming no speaker holds a title, not a quote.
        "‘The Long Goodbye’ Returns to the Stage",
        # Nor is a quoted headline in a sentence a quote.
        "The Ledger ran the headline “Port Will Not Close” on Tuesday.",
    ],
)
def test_a_headline_without_an_attribution_is_not_a_quote(headline):
    """Headlines that name no speaker keep the rules for titles."""
    assert quotes(headline, BODY) == []


def test_a_second_cue_after_and_starts_a_second_statement():
    """“… and insisted that …”: a conjunction and a new cue report a second
    statement of the same speaker."""
    text = (
        "Jane Doe said on Monday that the port would “stay open” and insisted "
        "that the strike was “over for now.”"
    )
    found = extract_quotes(text)
    assert [text[q.start : q.end] for q in found] == [
        "that the port would “stay open”",
        "that the strike was “over for now.”",
    ]
    assert [(q.speaker, q.cue) for q in found] == [
        ("Jane Doe", "said"),
        ("Jane Doe", "insisted"),
    ]


def test_two_quotes_joined_by_and_without_a_cue_are_one_statement():
    """Without a second cue, “…” and “…” is one statement."""
    text = "Jane Doe said the port would “stay open” and “welcome every ship.”"
    quote = only(text)
    assert text[quote.start : quote.end] == (
        "the port would “stay open” and “welcome every ship.”"
    )


def test_a_headline_phrase_before_a_colon_is_not_a_speaker():
    """“Port Strike Ends: ‘We Won’”: the words before the colon are not a name
    the article uses, so the headline has no speaker."""
    assert quotes("Port Strike Ends: ‘We Won’ Say Dockers", BODY) == []


def test_a_columns_label_before_a_headlines_colon_is_not_a_speaker():
    """“The Latest: Doe Hails ‘Historic’ Deal”: a label a live blog repeats in
    every headline, however often the article names it."""
    found = quotes(
        "The Latest: Doe Hails ‘Historic Deal’ for Port",
        "The Latest updates follow. Jane Doe spoke at the port on Tuesday.",
        "The Latest: more to come.",
    )
    assert all(q.speaker != "Latest" for q in found)


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "The port made an “error” in its safety checks, Jane Doe said.",
            "The port made an “error” in its safety checks",
        ),
        (
            "“More tugboats” would be needed, said Jane Doe.",
            "“More tugboats” would be needed",
        ),
        # An aside set apart by a dash or parentheses is not the statement's.
        (
            "The port made an “error” — its second this year — Jane Doe said.",
            "The port made an “error”",
        ),
        (
            "The port made an “error” (its second), Jane Doe said.",
            "The port made an “error”",
        ),
    ],
)
def test_words_between_a_quote_and_a_closing_attribution(sentence, content):
    """When the attribution closes the sentence, the words between the last quote
    and it go on with the statement."""
    quote = only(sentence)
    assert quote.speaker == "Jane Doe"
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Jane Doe said in a radio interview on Monday evening “the port will "
            "not close.”",
            "“the port will not close.”",
        ),
        (
            "Jane Doe wrote in the Ledger on Thursday, the new terminal “has paid "
            "for itself already.”",
            "the new terminal “has paid for itself already.”",
        ),
        (
            "Jane Doe vowed at a rally in Kessel to end “the dredging contract for "
            "good.”",
            "to end “the dredging contract for good.”",
        ),
        (
            "Jane Doe said on Tuesday the port was “closed for business.”",
            "the port was “closed for business.”",
        ),
        (
            "Jane Doe told the Kessel Ledger she was “still on the fence” about the "
            "deal.",
            "she was “still on the fence” about the deal",
        ),
        # "called on" is a verb of its own: its object is reported, not its
        # preposition.
        (
            "Jane Doe called on the council to “stop the dredging at once.”",
            "the council to “stop the dredging at once.”",
        ),
    ],
)
def test_where_and_when_it_was_said_is_not_what_was_said(sentence, content):
    """Phrases of time, place or medium after the cue, and the addressee of
    "told", come before the reported words."""
    quote = only(sentence)
    assert quote.speaker == "Jane Doe"
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        # A gerund after a preposition, or a noun spelt like a cue, is not an
        # attribution: the words go on with the statement.
        (
            "Jane Doe said the union had “broken the deal” by calling a strike.",
            "the union had “broken the deal” by calling a strike",
        ),
        (
            "Jane Doe said the port had “a tough year” after losing two "
            "contracts to the other states.",
            "the port had “a tough year” after losing two contracts to the other "
            "states",
        ),
        # A second verb of the subject ends the statement.
        (
            "Jane Doe called the offer “an insult” and threatened a strike.",
            "the offer “an insult”",
        ),
        (
            "Jane Doe said the port had “a tough year” and added nothing more.",
            "the port had “a tough year”",
        ),
    ],
)
def test_a_cue_after_a_quote_ends_it_only_when_it_is_a_verb(sentence, content):
    """Words after a quote stop at another verb of the speaker's, not at a
    gerund or a noun spelt like a cue."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Jane Doe said if the strike goes on, “the ships will go to Rotterdam.”",
            "if the strike goes on, “the ships will go to Rotterdam.”",
        ),
        # An addressee or a setting before the comma is not reported.
        (
            "Jane Doe told the crowd, “The ships will go to Rotterdam.”",
            "“The ships will go to Rotterdam.”",
        ),
        (
            "Jane Doe said in a statement, “The ships will go to Rotterdam.”",
            "“The ships will go to Rotterdam.”",
        ),
    ],
)
def test_a_condition_fronted_before_a_quote_is_reported(sentence, content):
    """“said if …, “…”” reports the condition too."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


def test_a_sentence_reporting_speech_introduces_the_quote_after_it():
    """“Sam Lee agreed. “…”” — a sentence whose subject speaks, without quoting,
    gives its speaker to the quoted sentence that follows, not the quote before."""
    first, second = quotes(
        "“The port will close,” said Jane Doe, the port's chief executive.",
        "Union secretary Sam Lee agreed. “The ships have already gone.”",
    )
    assert first.speaker == "Jane Doe"
    assert (second.speaker, second.text) == (
        "Sam Lee",
        "“The ships have already gone.”",
    )


def test_the_reported_words_of_the_introducing_sentence_join_the_quote():
    """“She says the port should stay open. “…”” — the reported words and the
    quote are one statement."""
    text = (
        "Jane Doe runs the port. She says the port should stay open all winter. "
        "“The ships need us.”"
    )
    quote = only(text)
    assert quote.speaker == "Jane Doe"
    assert text[quote.start : quote.end] == (
        "the port should stay open all winter. “The ships need us.”"
    )


def test_a_sentence_without_a_speaker_introduces_nothing():
    """A sentence with no cue before a quoted sentence leaves it to the quote
    before it (the same speaker goes on)."""
    first = only(
        "“The port will close,” said Jane Doe. The ships left at dawn. “We tried.”"
    )
    assert first.speaker == "Jane Doe"
    assert first.text.endswith("“We tried.”")


def test_a_participle_of_a_reporting_verb_is_a_cue():
    """“…, accusing the board of “bad faith”” reports what the subject said."""
    quote = only("Jane Doe left the meeting, accusing the board of “bad faith.”")
    assert (quote.speaker, quote.cue) == ("Jane Doe", "accusing")


def test_a_short_quote_without_a_cue_is_still_a_scare_quote():
    """Without a verb of saying, a short quote stays out."""
    assert quotes("Jane Doe left the meeting after the “bad faith” vote.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Jane Doe, who runs the port outside the capital, Kessel, said the ships "
        "were “gone for good.”",
        "“The ships are gone for good,” Jane Doe, a pilot who once worked for "
        "Sam Lee, the union’s secretary, said.",
        "“The ships are gone for good,” said the union’s new press officer, Jane "
        "Doe, who joined in May.",
    ],
)
def test_the_speaker_is_the_name_an_aside_describes(sentence):
    """An aside between commas, however many it holds, describes the name that
    opens it; a role someone holds ("the union’s press officer, Jane Doe") names
    the person after it, not the role's owner."""
    assert only(sentence).speaker == "Jane Doe"


def test_a_place_opening_the_sentence_is_not_the_speaker():
    """“In Kessel, Jane Doe said …” — the place is not a name of a person."""
    assert only("In Kessel, Jane Doe said the ships were “gone for good.”").speaker == (
        "Jane Doe"
    )


def test_a_paragraph_opening_with_a_quote_goes_on_with_the_speaker():
    """The convention: a quote that opens the next paragraph goes on with the
    same speaker's statement."""
    quote = only("“The port will close,” said Jane Doe.", "“The ships have gone.”")
    assert quote.speaker == "Jane Doe"
    assert quote.text.endswith("“The ships have gone.”")


def test_a_paragraph_that_narrates_first_does_not_go_on_with_the_speaker():
    """“Sam Lee looked surprised. “…?”” — a paragraph that narrates before its
    quote does not continue the previous speaker's statement."""
    found = quotes(
        "“The port will close,” said Jane Doe.",
        "Sam Lee looked surprised and shook his head. “Is that so?”",
    )
    assert [q.text for q in found] == ["“The port will close,”"]


def test_a_quote_after_another_persons_sentence_is_not_the_speakers():
    """“…,” said Jane Doe. Sam Lee shook his head. “…?” — within a paragraph too,
    once another person is the subject the next quote is not Doe's."""
    found = quotes(
        "“The port will close,” said Jane Doe. Sam Lee shook his head. “Is it?”"
    )
    assert [q.text for q in found] == ["“The port will close,”"]


def test_a_thought_reported_by_a_verb_of_saying_is_part_of_the_statement():
    """“said she believes …”: the verb of saying is the cue, and what she
    believes is part of what she said."""
    text = "Jane Doe said she believes the port is “closed for good.”"
    quote = only(text)
    assert quote.cue == "said"
    assert text[quote.start : quote.end] == (
        "she believes the port is “closed for good.”"
    )


def test_a_thought_on_its_own_is_still_a_cue():
    """Without a verb of saying before it, the verb of thinking is the cue."""
    quote = only("Jane Doe believes the port is “closed for good.”")
    assert (quote.speaker, quote.cue) == ("Jane Doe", "believes")


def test_a_naming_verb_takes_its_object_with_a_relative_clause():
    """“called the strike that closed the port “a disgrace”” — "that" opens a
    relative clause of the object, not the reported words."""
    text = "Jane Doe called the strike that closed the port “a disgrace to us all.”"
    quote = only(text)
    assert text[quote.start : quote.end] == (
        "the strike that closed the port “a disgrace to us all.”"
    )


def test_a_transcript_paragraph_is_its_speakers_turn():
    """“Doe: …” opening a paragraph of a transcript attributes the paragraph's
    words, up to the next speaker's turn."""
    found = quotes(
        "Jane Doe spoke with Sam Lee on the radio.",
        "Doe: Nobody calls it ‘a strike’ here. It is a lockout. Lee: Is it?",
    )
    assert [(q.speaker, q.text) for q in found] == [
        ("Jane Doe", "Nobody calls it ‘a strike’ here. It is a lockout.")
    ]


def test_according_to_names_the_source_before_the_reported_words():
    """“According to X, …” — the reported words start after the source, whoever
    it is."""
    text = "According to people at the port, the ships were “gone for good.”"
    quote = only(text)
    assert quote.cue == "according to"
    assert quote.speaker == "people at the port"
    assert text[quote.start : quote.end] == "the ships were “gone for good.”"


def test_a_participle_of_saying_after_a_quote_starts_a_second_statement():
    """“… “reopen,” adding that …”: the participle reports a second statement of
    the sentence's subject."""
    text = (
        "Jane Doe said the port was “ready to reopen,” adding that "
        "this is why the union “wants talks.”"
    )
    found = extract_quotes(text)
    assert [text[q.start : q.end] for q in found] == [
        "the port was “ready to reopen,”",
        "that this is why the union “wants talks.”",
    ]
    assert [q.speaker for q in found] == ["Jane Doe", "Jane Doe"]


@pytest.mark.parametrize(
    ("sentence", "contents"),
    [
        # The participle opens a clause of its own further on.
        (
            "Jane Doe said the union was “outraged” by the offer, arguing that "
            "“the port cannot pay more.”",
            [
                "the union was “outraged” by the offer",
                "that “the port cannot pay more.”",
            ],
        ),
        (
            "Jane Doe rejected the “final offer” on Tuesday, calling it “an insult.”",
            ["the “final offer” on Tuesday", "it “an insult.”"],
        ),
        # A participle that is not of saying leaves the statement whole.
        (
            "Jane Doe said the union was “outraged” by the offer, making it "
            "“the worst in years.”",
            ["the union was “outraged” by the offer, making it “the worst in years.”"],
        ),
    ],
)
def test_a_participle_of_saying_after_a_comma_starts_a_second_statement(
    sentence, contents
):
    """“…” by the offer, arguing that “…”: the participle clause reports a second
    statement of the subject, though words come between it and the first quote."""
    found = extract_quotes(sentence)
    assert [sentence[q.start : q.end] for q in found] == contents
    assert {q.speaker for q in found} == {"Jane Doe"}


def test_that_before_a_quote_opens_the_reported_words():
    """In "said that “…”", "that" is the reported clause's first word, not an
    object like "him" in "told him “…”"."""
    sentence = "Jane Doe said that “the port will close.”"
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == "that “the port will close.”"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        # A clause comes first: its "that" is inside the reported words.
        (
            "Jane Doe said her union is the only one that “has beaten the port.”",
            "her union is the only one that “has beaten the port.”",
        ),
        (
            "Jane Doe said it was unrealistic to think that “the port will pay.”",
            "it was unrealistic to think that “the port will pay.”",
        ),
        # Only an addressee, a time or a place before it: "that" opens them.
        (
            "Jane Doe told reporters on Tuesday that the port “will not pay.”",
            "that the port “will not pay.”",
        ),
    ],
)
def test_the_reported_words_start_at_the_cues_own_that(sentence, content):
    """The reported clause starts at the "that" of its cue, not at one further on
    that belongs to the clause itself."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


def test_a_participle_that_is_not_of_saying_goes_on_with_the_statement():
    """“… “reopen,” making it …” — not a verb of saying: one statement."""
    quote = only(
        "Jane Doe said the port was “ready to reopen,” making it the busiest day."
    )
    assert quote.speaker == "Jane Doe"


def test_a_capitalised_small_word_does_not_make_a_title():
    """“With a view to March 3rd, Kessel,” — a lower-case word that matters
    means a sentence, not a title."""
    quote = only("“With a view to March 3rd, Kessel,” Jane Doe said.")
    assert quote.speaker == "Jane Doe"


def test_a_nickname_a_speaker_gives_is_a_quote_though_in_title_case():
    """Doe called Lee “Little Eddie”: a naming verb with its speaker and its
    object before the quote; the nickname is Doe's words, not a title."""
    quote = only("Jane Doe called Lee “Little Eddie” twice on Tuesday.")
    assert quote.speaker == "Jane Doe"
    assert quote.cue == "called"


def test_referred_to_someone_as_names_them_in_the_speakers_words():
    """Doe referred to Lee as “…”: like "called", a naming cue with a speaker."""
    quote = only("Jane Doe referred to Lee Mole as “a bright, able leader” on Tuesday.")
    assert quote.speaker == "Jane Doe"
    assert quote.cue == "referred to"


def test_referred_to_without_as_mentions_words_and_is_no_second_statement():
    """ "… called Mole “rude” and referred to her “old tapes”": without its "as",
    "referred to" mentions the words; the sentence holds one statement."""
    text = (
        "In her posts Jane Doe called Lee Mole “rude” and referred to her “old tapes.”"
    )
    assert len(quotes(text)) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "The ferry has been called the “Queen of the Harbour” for years.",
        "Its old quay, called the “Gate of the North” by sailors, is closed.",
    ],
)
def test_a_name_given_in_the_passive_or_a_participle_is_not_a_quote(sentence):
    """Nobody is said to have said the name: a term, not speech."""
    assert quotes(sentence) == []


def test_a_title_in_title_case_is_still_not_a_quote():
    """Every word that matters capitalised: a title, not speech."""
    assert quotes("Jane Doe read from “The Long Goodbye of the Port” on stage.") == []


def test_an_attribution_that_reports_more_starts_a_new_sentence():
    """“…” She also said, on the radio, that “…” — after a full stop, an
    attribution with words of its own to report is a new statement."""
    text = (
        "Jane Doe claimed that the union makes it “a threat to the port.” She also "
        "said, on the radio, that “they are paid by the rival port.”"
    )
    found = extract_quotes(text)
    assert [text[q.start : q.end] for q in found] == [
        "that the union makes it “a threat to the port.”",
        "that “they are paid by the rival port.”",
    ]


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        # The quote runs on into the sentence: the cue before it reports it, and
        # a verb further on is part of the statement ("reporters", after
        # "without", is not its subject).
        (
            "Jane Doe said she “cannot walk down the street” without reporters "
            "asking her about the port.",
            "Jane Doe",
            "she “cannot walk down the street” without reporters asking her about "
            "the port",
        ),
        # Punctuation closing the quote ends the reported words: the attribution
        # after it is the quote's, whatever cue came before.
        (
            "Jane Doe said she was “tired,” Sam Lee said.",
            "Sam Lee",
            "she was “tired,”",
        ),
        (
            "“The fees,” Sam Lee said, “will not be paid.”",
            "Sam Lee",
            "“The fees,” Sam Lee said, “will not be paid.”",
        ),
    ],
)
def test_an_attribution_after_a_quote_needs_the_quote_closed(
    sentence, speaker, content
):
    """“…,” she said: the attribution follows reported words that end at the
    quote; a quote that runs on into its sentence belongs to the cue before it."""
    quote = only(sentence)
    assert quote.speaker == speaker
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "statements"),
    [
        # Words set off by commas after the attribution: the quote goes on.
        (
            "“We want to stay,” Jane Doe said two days after the strike, “and we "
            "will.”",
            1,
        ),
        (
            "“We want to stay,” said Jane Doe, the port’s chief executive in "
            "Kessel, “and we will.”",
            1,
        ),
        # A conjunction opens a clause of the writer's: two statements.
        (
            "“We want to stay,” Jane Doe said, but despite the long strike, “we "
            "may have to go.”",
            2,
        ),
    ],
)
def test_a_split_quote_goes_on_after_words_set_off_by_commas(sentence, statements):
    """“…,” she said two days later, “…”: the attribution's adjuncts and
    appositives between the halves of a quote do not end it."""
    found = extract_quotes(sentence)
    assert len(found) == statements
    assert {q.speaker for q in found} == {"Jane Doe"}


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        # The subject after its verb: the words before the comma name the
        # quote's object, not its speaker, and belong to the statement.
        (
            "“It will be hard” for Mayor Lee Park, said Jane Doe, a port pilot.",
            "Jane Doe",
            "“It will be hard” for Mayor Lee Park",
        ),
        (
            "“We never doubted it” after the vote, says Jane Doe.",
            "Jane Doe",
            "“We never doubted it” after the vote",
        ),
        # A day after the verb is when, not who.
        (
            "“We will stay,” Jane Doe, the port’s pilot, said Tuesday.",
            "Jane Doe",
            "“We will stay,”",
        ),
        # "told" takes its addressee after it: the speaker comes before.
        (
            "“We will stay,” Jane Doe, the port’s pilot, told Lee Park.",
            "Jane Doe",
            "“We will stay,”",
        ),
    ],
)
def test_an_inverted_attribution_names_its_speaker_after_the_verb(
    sentence, speaker, content
):
    """“…” for the city, said Jane Doe: the speaker of an inverted attribution
    follows its verb, and the words between quote and comma go on with it."""
    quote = only(sentence)
    assert quote.speaker == speaker
    assert sentence[quote.start : quote.end] == content


def test_a_places_initials_before_a_quoted_sentence_end_the_sentence():
    """“…,” she said in Kessel, N.Y. “…”: the initials close the sentence, and the
    next quoted sentence goes on with the statement; the place is not quoted."""
    text = (
        "“We will stay,” Jane Doe said at a rally in Kessel, N.Y. “The port is "
        "ours and it will stay ours.”"
    )
    quote = only(text)
    assert [text[a:b] for a, b in quote.parts] == [
        "“We will stay,”",
        "“The port is ours and it will stay ours.”",
    ]


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Jane Doe told a news conference they are “planting the seeds” of it.",
            "they are “planting the seeds” of it",
        ),
        (
            "Jane Doe told host Lee Park a strike is “increasingly likely.”",
            "a strike is “increasingly likely.”",
        ),
        # Words with a verb of their own are reported already.
        (
            "Jane Doe told Lee Park the plan is dead and it will “never return.”",
            "the plan is dead and it will “never return.”",
        ),
        # "that" still opens the reported words.
        (
            "Jane Doe told the crowd that the port is “closed for business.”",
            "that the port is “closed for business.”",
        ),
    ],
)
def test_the_addressee_of_told_is_not_part_of_the_statement(sentence, content):
    """told a news conference they are “…”: whom she told, up to the subject of
    the reported words, is not what she said."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Jane Doe said the port is “closed for business” in a statement on Monday.",
            "the port is “closed for business”",
        ),
        (
            "Jane Doe called the plan “a disgrace” in her weekly column.",
            "the plan “a disgrace”",
        ),
        # An event the words are about is part of them.
        (
            "Jane Doe said she did “great” in the last debate and will win.",
            "she did “great” in the last debate and will win",
        ),
    ],
)
def test_where_the_words_were_said_is_not_part_of_them(sentence, content):
    """“…” in a statement on Monday: the medium of the saying ends the statement."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Jane Doe told reporters on Friday that she thinks the plan is “a "
            "great thing.”",
            "that she thinks the plan is “a great thing.”",
        ),
        (
            "Jane Doe said, however, that she hopes “someone takes up the cause.”",
            "that she hopes “someone takes up the cause.”",
        ),
    ],
)
def test_the_speakers_own_thought_after_that_is_part_of_the_statement(
    sentence, content
):
    """said … that she hopes “…”: what she hopes is what she said; the reported
    words start at "that"."""
    quote = only(sentence)
    assert quote.speaker == "Jane Doe"
    assert sentence[quote.start : quote.end] == content


def test_an_abbreviation_before_a_sentence_opening_word_ends_the_sentence():
    """“… at 7 p.m. He says “…”": "He" never continues a name, so the sentence
    ends at the abbreviation and the next one is a statement of its own."""
    text = (
        "Jane Doe said the port will “stay open” until 7 p.m. She says “the ships "
        "will wait for morning.”"
    )
    found = extract_quotes(text)
    assert [text[q.start : q.end] for q in found] == [
        "the port will “stay open” until 7 p.m.",
        "“the ships will wait for morning.”",
    ]


def test_a_that_clause_before_a_colon_is_part_of_the_statement():
    """said that … two choices: “…”: the reported clause runs up to the quote it
    introduces; after a bare cue and a colon, the statement is the quote."""
    text = "Jane Doe said that the port has two choices: “Open or close.”"
    quote = only(text)
    assert text[quote.start : quote.end] == (
        "that the port has two choices: “Open or close.”"
    )
    text = "Jane Doe said at the harbour: “Open or close.”"
    quote = only(text)
    assert text[quote.start : quote.end] == "“Open or close.”"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        # A whole quoted sentence: the words before the attribution set the scene.
        (
            "Eyebrows raised, Jane Doe asked, “Was I going to stay behind alone?”",
            "“Was I going to stay behind alone?”",
        ),
        # … unless they say what the words are about.
        (
            "As for the harbour, Jane Doe said, “It will stay open.”",
            "As for the harbour, Jane Doe said, “It will stay open.”",
        ),
        # A quote going on with the words before it: they are reported too.
        (
            "The port, Jane Doe said, “will stay open.”",
            "The port, Jane Doe said, “will stay open.”",
        ),
    ],
)
def test_a_quoted_sentence_after_a_parenthetical_attribution_stands_alone(
    sentence, content
):
    """Lead-in, she said, “…”: only a topic or a clause the quote completes is
    part of the statement."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        # A comma and a clause with its own subject and verb end the statement.
        (
            "Jane Doe said it would be “very hard” to win the vote in May, her "
            "union has argued that it could still win.",
            "it would be “very hard” to win the vote in May",
        ),
        # A noun with a relative clause goes on with it.
        (
            "Jane Doe said the port is “closed” to Lee Park, a pilot who has "
            "sailed there for years.",
            "the port is “closed” to Lee Park, a pilot who has sailed there for years",
        ),
    ],
)
def test_a_new_clause_after_a_comma_ends_the_words_after_a_quote(sentence, content):
    """“…” in May, her union has argued …: the sentence goes on about something
    else."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


def test_the_writers_word_on_the_statement_is_not_part_of_it():
    """“…” against him, a charge that …: a noun summing up the statement after a
    comma is the writer's comment."""
    sentence = (
        "Jane Doe said the vote had been “rigged” against her, a charge that the "
        "council denied."
    )
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == (
        "the vote had been “rigged” against her"
    )


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        # Inside a reported clause, "and" + verb goes on with its subject.
        (
            "Jane Doe said the report was “flawed” and ignored the port's own figures.",
            "the report was “flawed” and ignored the port's own figures",
        ),
        # After the cue's object, it is the speaker's next act.
        (
            "Jane Doe praised the “housing plan” and outlined her own.",
            "the “housing plan”",
        ),
    ],
)
def test_a_second_verb_belongs_to_the_reported_clause_that_has_one(sentence, content):
    """“…” and ignored …: the subject of a reported clause may have two verbs; a
    cue's object has none, so the verb is the speaker's."""
    quote = only(sentence)
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # A straight mark after a number closes the open quote …
        (
            'Jane Doe said the union took "about $200,000" from the port. Lee '
            'Park called that "absurd."',
            'the union took "about $200,000" from the port',
        ),
        # … but a height in feet and inches inside a quote does not.
        (
            "“He’s like 6’2”, taller than me,” Jane Doe said.",
            "“He’s like 6’2”, taller than me,”",
        ),
    ],
)
def test_a_mark_after_a_number_closes_an_open_quote(text, content):
    """“about $200,000”: with a quote open, the mark after the number closes it;
    it is an inch mark only with no quote open or after feet (6’2”)."""
    found = extract_quotes(text)
    assert text[found[0].start : found[0].end] == content


def test_the_reported_words_do_not_start_at_a_comma():
    """As the Ledger reported, the port “…”: the words start after the comma."""
    text = "As the Ledger reported, the port “gave between $1 and $5” to the club."
    quote = only(text)
    assert text[quote.start : quote.end] == (
        "the port “gave between $1 and $5” to the club"
    )


def test_a_reply_written_back_after_a_question_is_its_own_statement():
    """“…?” Lee writes back, “…”: the cue and its particle introduce a new quote,
    they do not attribute the question."""
    text = (
        "“Why now? Was it on my way?” Jane Doe asked. “Why now?” Lee Park writes "
        "back, “You look tired.”"
    )
    found = extract_quotes(text)
    assert [text[q.start : q.end] for q in found][-1] == "“You look tired.”"
    assert found[-1].speaker == "Lee Park"


def test_a_sentence_of_a_connective_and_a_quote_goes_on_with_the_last_speaker():
    """“…,” she said. Instead, “…”: a connective alone before the quote, so the
    quote is still hers and part of the same statement."""
    text = (
        "“The port should lead this country,” Jane Doe said. Instead, “it acts "
        "like a tired old man.”"
    )
    quote = only(text)
    assert quote.speaker == "Jane Doe"
    assert (quote.start, quote.end) == (0, len(text))


def test_a_lead_in_that_is_the_subject_of_the_quoted_verb_is_reported():
    """Judging by the polls, she said, “is …”: the quote opens with a verb whose
    subject is the lead-in, however much it looks like a scene-setting phrase."""
    text = (
        "Judging the port by its tonnage, Jane Doe said, “is like judging a ship "
        "by its paint.”"
    )
    quote = only(text)
    assert (quote.start, quote.end) == (0, len(text))


def test_a_second_that_clause_goes_on_with_the_reported_words():
    """ "said that A “…” and that B": the cue reports both clauses, and a verb
    inside the second ("the union fears") is reported, not a new speaker."""
    text = (
        "Jane Doe said the port was “closed for business,” and that the union "
        "fears a long strike."
    )
    quote = only(text)
    assert quote.speaker == "Jane Doe"
    assert text[quote.start : quote.end] == (
        "the port was “closed for business,” and that the union fears a long strike"
    )


@pytest.mark.parametrize(
    "text",
    [
        "“He called the offer “a farce” and left the room,” said Jane Doe.",
        '“He called the offer "a farce" and left the room,” said Jane Doe.',
        '"He called the offer "a farce" and left the room," said Jane Doe.',
    ],
)
def test_a_quote_inside_a_quote_does_not_close_it(text):
    """Double marks inside a quote that pair (an inner opening, then two closings)
    quote words within it: the outer quote goes on to its own closing mark."""
    quote = only(text)
    assert quote.speaker == "Jane Doe"
    assert text[quote.start : quote.end] == text[: text.index(" said")]


def test_an_opening_typed_twice_is_no_quote_inside_a_quote():
    """\"“…,” she said …": two marks side by side open one quote, the closing mark
    after the first words closes it."""
    text = '"“The port is closed,” Jane Doe said before adding that it may reopen."'
    quote = only(text)
    assert quote.speaker == "Jane Doe"
    assert text[quote.start : quote.end] == '"“The port is closed,”'


@pytest.mark.parametrize(
    "sentence",
    [
        # A participle opening the sentence.
        "Reached by the Ledger, Park denied the report, explaining that the port "
        "was “closed for repairs.”",
        # An adverb and its phrase.
        "Shortly after the vote, Park issued a statement, saying the port was "
        "“closed for repairs.”",
        # A long scene-setting phrase.
        "Appearing before cheering supporters on Monday morning at the party's "
        "headquarters in Kessel, Park said it was too early but added, “The port "
        "is closed for repairs.”",
        # A connective, then a phrase.
        "Moreover, as part of the exchange with the union, Park issued a "
        "statement, saying the port was “closed for repairs.”",
    ],
)
def test_a_phrase_opening_the_sentence_is_not_the_speaker(sentence):
    """The words before the first comma open an introductory phrase, not a name:
    the subject after them speaks."""
    found = quotes("Lee Park runs the port of Kessel.", sentence)
    assert [q.speaker for q in found] == ["Lee Park"]


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "“The port will stay closed until spring,” Park said on Monday, "
            "according to the Kessel Ledger.",
            "“The port will stay closed until spring,” Park said on Monday",
        ),
        (
            "On Monday, Park said the port was “closed until spring,” according "
            "to the Kessel Ledger.",
            "On Monday, Park said the port was “closed until spring,”",
        ),
    ],
)
def test_a_source_closing_the_sentence_reports_all_of_it(sentence, content):
    """ ", according to the Ledger." after the quotes: the source reports the whole
    sentence before it, an attribution of its own included; the person who said the
    words is the speaker (a product decision: PolNeAR's gold names the source)."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content
    assert quote.speaker == "Lee Park"
    assert quote.cue == "said"


def test_a_source_closing_a_sentence_without_a_speaker_speaks():
    """With no attribution of its own, the quote is the closing source's."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "The port will stay “closed until spring,” according to the Kessel Ledger."
    )
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Kessel Ledger"
    assert quote.cue == "according to"


@pytest.mark.parametrize(
    "sentence",
    [
        "It makes a difference, she said in an interview afterward, that the union "
        "“does not forget the little people of the port.”",
        "“If the port had not closed” by order of the council, she said at a town "
        "hall on Monday, “we would be looking at a crisis now.”",
    ],
)
def test_an_attribution_set_off_by_commas_with_where_it_was_said(sentence):
    """ "…, she said in an interview afterward, …": where or when the words were
    said does not end the parenthetical attribution; the words before it are
    reported too, and the statement is one."""
    found = quotes("Jane Doe runs the port of Kessel.", sentence)
    assert len(found) == 1
    text = "Jane Doe runs the port of Kessel.\n\n" + sentence
    assert (found[0].start, found[0].end) == (text.index(sentence), len(text))
    assert found[0].speaker == "Jane Doe"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park said that the mayor begged him for help and “would have done "
            "anything” to keep the port.",
            "that the mayor begged him for help and “would have done anything” to "
            "keep the port",
        ),
        (
            "Park told reporters he thought the mayor had “made up the story.”",
            "he thought the mayor had “made up the story.”",
        ),
    ],
)
def test_a_report_inside_the_reported_words_is_part_of_them(sentence, content):
    """ "Park said that the mayor begged …": the second verb stands inside what the
    first one reports, so the first is the cue and its subject the speaker."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content
    assert quote.speaker == "Lee Park"


@pytest.mark.parametrize(
    "sentence",
    [
        "Much of the anger was aimed at the mayor, whom Park on Wednesday called "
        "“a danger to the harbour.”",
        "Park at the time said the mayor was “a danger to the harbour.”",
    ],
)
def test_a_time_between_the_speaker_and_the_cue_is_not_the_speaker(sentence):
    """ "Park on Wednesday called …", "Park at the time said …": the phrase of time
    stands between the speaker and the cue."""
    found = quotes("Lee Park runs the port of Kessel.", sentence)
    assert [q.speaker for q in found] == ["Lee Park"]


def test_a_second_verb_saying_what_about_does_not_split_the_quote():
    """ "“…,” she wrote, explaining why she came, “…”": the participle says what
    the writing was about; the quote goes on after it as one statement."""
    text = (
        "“Many people are unsure about the port,” Jane Doe wrote in a letter to the "
        "Ledger explaining why she is leaving the board, “but most agree it needs "
        "a new direction.”"
    )
    quote = only(text)
    assert (quote.start, quote.end) == (0, len(text))
    assert len(quote.parts) == 2


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Over 42% of shoppers said they pick jars with “natural” labels.", "shoppers"),
        ("More than half of voters said the port was “a disgrace.”", "voters"),
        ("About 300 people said the port was “a disgrace” to the town.", "people"),
        ("However, 63 percent said the port was “a disgrace.”", ""),
    ],
)
def test_a_quantity_opening_the_subject_is_not_a_name(sentence, speaker):
    """A count opening the subject ("Over 42% of shoppers") is no name: the people
    it counts speak, or no one; never "Over" or "More"."""
    (quote,) = extract_quotes(sentence)
    assert quote.speaker == speaker


def test_a_name_that_opens_like_a_quantity_is_still_a_name():
    """ "Half Moon Bay Mayor Jane Doe": capitalised words after "Half" are a name."""
    (quote,) = extract_quotes(
        "Half Moon Bay Mayor Jane Doe said the port was “a disgrace.”"
    )
    assert quote.speaker == "Jane Doe"


def test_a_participle_after_the_quote_does_not_outrank_the_cue_before_it():
    """ "Park told the Ledger on Monday that … “…,” adding he would fight on": the
    words after "adding" are what it reports ("he" is their subject, no speaker);
    "told" reports the quote, so its addressee and the time are left out."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Park told the Ledger on Monday that the mayor was “a liar,” adding he "
        "would fight on."
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "that the mayor was “a liar,”"
    assert (quote.speaker, quote.cue) == ("Lee Park", "told")


def test_a_participle_after_the_quote_is_the_sentence_subjects():
    """With no cue before the quote, ", saying …" is said by the sentence's
    subject."""
    text = "Gov. Lee Park blamed the press for “a lie,” saying Ann Holm would resign."
    (quote,) = extract_quotes(text)
    assert (quote.speaker, quote.cue) == ("Lee Park", "saying")


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park said the strike “should be over by spring,” referring to the wage "
            "talks in Kessel.",
            "the strike “should be over by spring,”",
        ),
        (
            "Park said the strike was “a terrible mistake,” although he backs the "
            "union now.",
            "the strike was “a terrible mistake,”",
        ),
        (
            "Park vowed to fight the “harbour barons,” many in the hall appeared to "
            "cheer him.",
            "to fight the “harbour barons,”",
        ),
    ],
)
def test_a_comma_inside_the_closing_mark_ends_the_words_like_one_after_it(
    sentence, content
):
    """“…,” then the writer's gloss ("referring to …"), a concession or a new
    subject: the comma inside the mark ends the reported words, as one after it
    would."""
    (quote,) = extract_quotes(sentence)
    assert sentence[quote.start : quote.end] == content


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Although Park says that Holm “broke the story” of the strike in Kessel, "
            "others argue that Holm caused it.",
            "that Holm “broke the story” of the strike in Kessel",
        ),
        (
            "While Park calls the plan a “terrific piece of work,” Holm fixates on "
            "the cost.",
            "the plan a “terrific piece of work,”",
        ),
    ],
)
def test_a_cue_in_an_opening_subordinate_clause_reports_up_to_its_comma(
    sentence, content
):
    """ "Although Park says …, others argue …": the clause the cue stands in ends
    at its comma; the main clause is the writer's."""
    (quote,) = extract_quotes(sentence)
    assert sentence[quote.start : quote.end] == content


def test_a_conjunction_opening_the_sentence_is_not_part_of_the_name():
    """ "Although Park says …": the conjunction is no first name."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Although Park says the port is “closed for good,” ships still come."
    )
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Lee Park"


def test_words_after_a_quote_go_on_up_to_the_clause_holding_a_cue():
    """ "“…” with Senator Holm, in a race that he said …": the cue in the last
    clause is not this statement's attribution, but the words before its comma
    are the statement's."""
    sentence = (
        "Park says he is “effectively tied for second place” with Senator Ann "
        "Holm, in a race that he said defied the polls."
    )
    (quote,) = extract_quotes(sentence)
    assert sentence[quote.start : quote.end] == (
        "he is “effectively tied for second place” with Senator Ann Holm"
    )


def test_a_long_chain_of_statements_stays_linear_and_keeps_its_speaker():
    """A sentence of many statements joined by "and" reads each one's own words
    once past a reach: 600 of them took about 45 s when each reread the whole
    sentence (a hostile page); their speaker is still the sentence's."""
    sentence = "Lee Park says the port is “closed” and " * 600 + "ships wait."
    started = time.perf_counter()
    found = extract_quotes(sentence)
    assert time.perf_counter() - started < 5
    assert len(found) == 600
    assert {q.speaker for q in found} == {"Lee Park"}


def test_a_word_opening_a_phrase_is_not_part_of_the_name_after_it():
    """ "Despite Ted Cruz …", "From Jane Doe, writing …": the preposition is no
    first name; a one-word name that is such a word stays ("From said")."""
    (quote,) = extract_quotes("Despite Lee Park says the port is “closed for good.”")
    assert quote.speaker == "Lee Park"


def test_a_dateline_is_neither_the_speaker_nor_the_words():
    """ "KESSEL, Sweden — Gov. Lee Park blamed …, saying …": the dateline says
    where the story was filed."""
    text = (
        "KESSEL, Sweden — Gov. Lee Park on Thursday blamed the press for “a lie,” "
        "saying he would fight on."
    )
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Lee Park"
    assert text[quote.start : quote.end].startswith("Gov. Lee Park")


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park said the harbour clerks were calling “every ten minutes.”",
            "the harbour clerks were calling “every ten minutes.”",
        ),
        (
            "Park said Mayor Lund called on the crews to stay “calm and patient.”",
            "Mayor Lund called on the crews to stay “calm and patient.”",
        ),
    ],
)
def test_a_report_by_a_named_subject_inside_the_reported_words(sentence, content):
    """ "Park said the clerks were calling …": a subject without "that" opens the
    clause the first verb reports, so its verb is part of the reported words."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content
    assert quote.speaker == "Lee Park"


def test_a_that_clause_of_a_report_inside_the_reported_words():
    """ "Park said the city assured them that …": the words the first verb reports
    begin at the inner report's subject, not at the "that" it is followed by."""
    sentence = "Park said the city assured them that the ferry would run “all winter.”"
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == (
        "the city assured them that the ferry would run “all winter.”"
    )
    assert quote.speaker == "Lee Park"


@pytest.mark.parametrize(
    ("sentence", "first", "second"),
    [
        (
            "Park called the levy “a gift to the rich,” but she also praised the "
            "“steady work” of the harbour council.",
            "the levy “a gift to the rich,”",
            "the “steady work” of the harbour council",
        ),
        (
            "Park promised to fix the “broken” ferry timetable and she, once again, "
            "promised a “fresh start” for the docks.",
            "to fix the “broken” ferry timetable",
            "a “fresh start” for the docks",
        ),
    ],
)
def test_a_second_cue_after_its_subject_and_an_adverb_or_aside(sentence, first, second):
    """ "… but she also praised …", "… and she, once again, promised …": the
    conjunction opens a second statement even with words between the subject
    and its verb."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    quotes = extract_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [first, second]
    assert {q.speaker for q in quotes} == {"Lee Park"}


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park said she would sit the mayor down and tell him “no more delays.”",
            "she would sit the mayor down and tell him “no more delays.”",
        ),
        (
            "Park said the mayor is to blame for the delays and accused him of "
            "“sleeping at the wheel.”",
            "the mayor is to blame for the delays and accused him of “sleeping at "
            "the wheel.”",
        ),
        # The subject's second statement, not one inside the first.
        (
            "Park said the ferry is late and said that the crews are “worn out.”",
            "that the crews are “worn out.”",
        ),
    ],
)
def test_a_report_further_inside_the_reported_words(sentence, content):
    """ "Park said she would sit the mayor down and tell him “…”": the second verb
    stands further inside the clause the first one reports; "… and said that …"
    is a second statement of the same speaker."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content
    assert quote.speaker == "Lee Park"


def test_a_cue_after_a_phrase_of_where_or_when_is_the_main_verb():
    """ "The crews who wrote to her on Tuesday say …": "say" is the sentence's
    verb, not a report inside what "wrote" reports."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "The crews who wrote to her on Tuesday say they are “worn out.”"
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "they are “worn out.”"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park challenged the claim that the ferry had ever “run late.”",
            "the claim that the ferry had ever “run late.”",
        ),
        # The addressee of a verb of telling is not what was said.
        (
            "Park told the crowd that the ferry would run “all winter.”",
            "that the ferry would run “all winter.”",
        ),
        # Nor is a time.
        (
            "Park said the next morning that the ferry would run “all winter.”",
            "that the ferry would run “all winter.”",
        ),
    ],
)
def test_a_that_clause_completing_the_object_of_the_cue(sentence, content):
    """ "Park challenged the claim that …": the that-clause completes the noun the
    cue takes, so the reported words start at the noun."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content
    assert quote.speaker == "Lee Park"


def test_quoted_words_ending_a_sentence_inside_are_no_title():
    """“Like Kessel. Or Brno,” Doe said: capitalised words with a sentence's full
    stop inside are sentences, not a title; an abbreviation ends none ("“Mrs.
    Holm,”" stays a name)."""
    text = "“Like Kessel. Or Brno,” Doe said. “The queues are longer.”"
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Doe"
    assert quote.start == 0
    assert not extract_quotes("He writes to her as “Mrs. Holm,” a friend said.")


def test_a_dash_and_a_name_under_a_quoted_paragraph_sign_it():
    """A fact-check lists the claims it checks as quoted paragraphs, each signed on
    the line below ("- Lee Park."); a byline under a paragraph of news signs
    nothing."""
    found = quotes(
        "Lee Park and Ann Holm met in Kessel on Monday.",
        "“The port has never handled more ships than this year.”",
        "- Park.",
        "The port handled fewer ships than in 2012.",
        "- Ann Holm.",
    )
    assert [(q.text, q.speaker) for q in found] == [
        ("“The port has never handled more ships than this year.”", "Lee Park")
    ]


def test_a_long_run_of_names_under_a_quote_stays_fast():
    """The signature's name is read in a short reach: a paragraph of 20,000
    capitalised words after a dash does not backtrack."""
    text = "“The port is closed.”\n\n- " + "McLee " * 20000 + "x"
    started = time.perf_counter()
    extract_quotes(text)
    assert time.perf_counter() - started < 2


def test_what_a_crowd_chants_is_a_quote():
    """ "chanting “…”", "chants of “…” and “…”": a crowd said the words, however
    short or capitalised; a sign reading them stays a slogan."""
    text = (
        "Dock workers marched to the ferry terminal, chanting “Open the Gates” and "
        "“No Deal.” Others carried a sign reading “Kessel Works.”"
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "“Open the Gates” and “No Deal.”"
    assert quote.cue == "chant"
    (quote,) = extract_quotes("The count was met with chants of “Holm! Holm!”")
    assert quote.text == "“Holm! Holm!”"


def test_a_colon_introduces_the_quoted_sentence_after_it():
    """ "The chief could only shrug: “…”", "A note in the file makes it plain:
    “…”": a colon before a quoted sentence introduces it, with no verb of saying
    and whoever the subject is; a term after a colon stays a term."""
    text = (
        "The ferry was late again, and the harbour chief could only shrug: “The "
        "tide does not read our timetable.”"
    )
    (quote,) = extract_quotes(text)
    assert quote.text == "“The tide does not read our timetable.”"
    assert quote.cue == ":"
    assert not extract_quotes("The port has one export: “steel” and little else.")


def test_words_reported_before_a_closing_attribution_start_as_after_any_cue():
    """ "Park admitted to the newspaper that …“…,” she …": the cue before the quote
    reports it from "that" on, as it would without the attribution after it; the
    addressee is not what was said."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Although Park admitted to the newspaper that she and the mayor had “been "
        "friends for years,” she denied any deal."
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == (
        "that she and the mayor had “been friends for years,”"
    )
    assert quote.speaker == "Lee Park"


def test_a_second_verb_in_an_irregular_past_ends_the_reported_words():
    """ "… “the best in years” and set a new timetable": a past tense without -ed
    after "and" is the subject's second act, as "and announced" is."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Park promised to be “the best harbour master in years” and set a new "
        "timetable for the ferry."
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "to be “the best harbour master in years”"


def test_a_possessive_before_the_quote_belongs_to_the_statement():
    """ "Lund’s “excesses” are sickening, Park said": the possessive is the quoted
    noun's, so the words reported start with it."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Lund’s “excesses” are sickening, Park said on Tuesday."
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "Lund’s “excesses” are sickening"
    assert quote.speaker == "Lee Park"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park said that “every ferry on the river” — the old ones included — "
            "runs late in winter.",
            "that “every ferry on the river” — the old ones included — runs late in "
            "winter",
        ),
        # A dash with no second one sets the rest apart.
        (
            "Park said that “every ferry on the river” — the old ones included.",
            "that “every ferry on the river”",
        ),
    ],
)
def test_an_aside_between_dashes_after_a_quote(sentence, content):
    """ "“every ferry” — the old ones included — runs late": the reported clause
    goes on after an aside set between two dashes."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content


def test_words_before_an_attribution_with_a_role_before_the_name():
    """ "“Open borders” would be a disaster, harbour chief Lee Park said": the role
    opens the attribution, so the words before its comma are still reported."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "“Open borders” would be a disaster, harbour chief Lee Park said on Monday."
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "“Open borders” would be a disaster"
    assert quote.speaker == "Lee Park"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park boasted about a plan to make the port “the busiest in the north.”",
            "a plan to make the port “the busiest in the north.”",
        ),
        (
            "Park warned of a “long and bitter” winter for the ferries.",
            "a “long and bitter” winter for the ferries",
        ),
        # "on" after another verb says when.
        (
            "Park said on Tuesday the port was “closed for good.”",
            "the port was “closed for good.”",
        ),
    ],
)
def test_the_preposition_a_verb_of_saying_takes_is_not_reported(sentence, content):
    """ "boasted about a plan …", "called on the council …": the preposition is
    the verb's; what was said is its object."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content


def test_a_headline_verb_of_any_meaning_attributes_its_quote():
    """A headline drops "said" and often uses a verb that is not one of saying
    ("Holm Takes …", "Park Addresses …:"): the speaker is the longest name the
    article uses elsewhere; after a colon, the words are the quote."""
    found = quotes(
        "Ann Holm Takes Talk Of A Port Strike ‘Very Seriously.’",
        "The union leader Ann Holm spoke to reporters on Monday.",
    )
    assert [(q.text, q.speaker) for q in found] == [
        ("Talk Of A Port Strike ‘Very Seriously.’", "Ann Holm")
    ]
    found = quotes(
        "Park Addresses Ferry Strike: ‘This Cannot Go On.’",
        "The mayor, Lee Park, spoke on Friday.",
    )
    assert [(q.text, q.speaker) for q in found] == [("‘This Cannot Go On.’", "Park")]


def test_a_numbered_list_item_under_its_number_is_a_headline():
    """A listicle puts each item's number on a line of its own above the item's
    headline ("4\\nHolm Asked Dockers To “Hold The Line.”")."""
    found = quotes(
        "4\nAnn Holm Asked Dockers To “Hold The Line.”",
        "The union leader Ann Holm spoke on Monday.",
    )
    assert [(q.text, q.speaker) for q in found] == [
        ("Dockers To “Hold The Line.”", "Ann Holm")
    ]


def test_a_headline_cue_after_the_words_may_take_an_object():
    """ "‘…,’ Ann Holm Tells Union Congress": the verb's object closes the
    headline after the attribution."""
    found = quotes(
        "Ports Are ‘The Heart Of The Country,’ Ann Holm Tells Union Congress.",
        "The union leader Ann Holm spoke on Monday.",
    )
    assert [(q.text, q.speaker) for q in found] == [
        ("Ports Are ‘The Heart Of The Country,’", "Ann Holm")
    ]


def test_an_invisible_mark_before_a_quote_is_no_word():
    """A comment pasted from a social network keeps its direction mark (U+202A)
    before the quotation mark, here a ” typed for the opening one."""
    text = (
        "Readers replied at once.\n\n\u202a”The ferry is never on time!” wrote "
        "Ann Holm."
    )
    (quote,) = extract_quotes(text)
    assert quote.text == "”The ferry is never on time!”"
    assert quote.speaker == "Ann Holm"


@pytest.mark.parametrize(
    "text",
    [
        "“The way I see it,” she elaborated, “the port owes us nothing.”",
        "“This is wonderful!” beamed Ann Holm of Kessel.",
        "The crowd answered by softly echoing “not again.”",
    ],
)
def test_verbs_of_saying_the_cue_list_lacked(text):
    """ "elaborated", "beamed", "echoing", "mouthing", "reacted", "interjecting"
    report words too."""
    assert len(extract_quotes(text)) == 1


def test_a_subordinate_clause_after_a_partial_quote_goes_on_with_it():
    """ "Doe said that she has “no plan” if the union told her …": the verb of
    saying inside the clause after the quote is the reported words', not a new
    attribution."""
    text = (
        "Ann Holm said that she has “no plan” if the union told her to close the "
        "port on Monday."
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == (
        "that she has “no plan” if the union told her to close the port on Monday"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Holm had said, “We shall see,” when asked whether the port would reopen.",
        "Holm cautioned “let us not hurry,” before cheerfully predicting a deal.",
    ],
)
def test_when_the_words_were_said_is_not_part_of_them(sentence):
    """ "“…,” when asked whether …", "“…,” before predicting …": the occasion of
    the saying, after the comma inside the closing mark, is not reported words."""
    (quote,) = extract_quotes(sentence)
    assert quote.text.endswith(",”")


def test_initials_in_a_headline_end_no_sentence():
    """ "Holm Sides With Lee J. Park On ‘Port Fees.’" is one headline: the
    initial's full stop ends no sentence."""
    found = quotes(
        "Ann Holm Sides With Lee J. Park On ‘Higher Port Fees.’",
        "The union leader Ann Holm spoke on Monday.",
    )
    assert [q.speaker for q in found] == ["Ann Holm"]


def test_a_headline_verb_after_just_names_the_speaker_before_it():
    """ "Holm Just Trashed …": "Just" between the speaker and the verb is not part of
    the name."""
    found = quotes(
        "Holm Just Trashed The Ferry Timetable — ‘A Work Of Fiction.’",
        "The union leader Ann Holm spoke on Monday.",
    )
    assert [q.speaker for q in found] == ["Holm"]


def test_a_naming_verb_in_the_infinitive_reports_its_object():
    """ "went on to portray the crews as “…”": the infinitive names, as "called"
    does, and its object is what the words were said of."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Park went on to portray the striking crews as “a menace to the town.”"
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == (
        "the striking crews as “a menace to the town.”"
    )


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park said the crews are “worn out” after the strike, and that the ferry "
            "will run again in May.",
            "the crews are “worn out” after the strike, and that the ferry will run "
            "again in May",
        ),
        # "and that is …": a new clause of the writer's.
        (
            "Park said the crews are “worn out” after the strike, and that is all "
            "she said.",
            "the crews are “worn out” after the strike",
        ),
    ],
)
def test_a_second_that_clause_after_the_words_following_a_quote(sentence, content):
    """ "said the crews are “…” after the strike, and that …": the cue reports the
    second that-clause too, after words of the first."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content


def test_a_time_after_the_cue_is_left_out_and_the_clause_kept_whole():
    """ "said Thursday her biggest worry is that she …": only the time is left out;
    the reported clause starts at its subject, not at a pronoun further on."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Park said Thursday her biggest worry is that she is “running out of time.”"
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == (
        "her biggest worry is that she is “running out of time.”"
    )


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park said she rarely asks the council for help, “except when the ferry "
            "breaks down.”",
            "she rarely asks the council for help, “except when the ferry breaks "
            "down.”",
        ),
        (
            "Park said the ferry is late this week, “but not for long.”",
            "the ferry is late this week, “but not for long.”",
        ),
        # Where it was said is not reported.
        (
            "Park told the crowd, “The ferry is late.”",
            "“The ferry is late.”",
        ),
    ],
)
def test_a_clause_before_the_comma_ahead_of_a_quote_is_reported(sentence, content):
    """ "said she rarely asks for help, “except …”": the words between the cue and
    the comma are a clause of the reported words, not where or when."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content


def test_a_clause_before_the_colon_ahead_of_a_quote_is_reported():
    """ "said she often thinks of her father's advice: “…”": a clause of the
    reported words introduces the quote; "said: “…”" alone does not."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "Park said she often thinks of her father’s advice: “Never sell the boat.”"
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == (
        "she often thinks of her father’s advice: “Never sell the boat.”"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Park pointed out that the mayor calls the levy “a tax on fish.”",
        "The ferry is late, Park noted, adding that the mayor calls the levy “a tax "
        "on fish.”",
    ],
)
def test_a_report_inside_the_words_of_other_forms_of_saying(sentence):
    """ "pointed out that the mayor calls …", "adding that the mayor calls …": the
    verb inside what is reported is part of it, whatever the form of the verb of
    saying."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    quote = extract_quotes(text)[-1]
    assert text[quote.start : quote.end] == (
        "that the mayor calls the levy “a tax on fish.”"
    )
    assert quote.speaker == "Lee Park"


def test_a_report_a_long_clause_inside_the_reported_words():
    """A report standing a long clause into what the first verb reports is still
    part of it (the reach is longer than a that-clause's subject)."""
    sentence = (
        "Park said that if the ferry company keeps its oldest boats on the river "
        "through another long winter the mayor has called the plan “a disgrace.”"
    )
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == sentence[len("Park said ") : -1] + "”"
    assert quote.speaker == "Lee Park"


def test_a_quote_closing_on_its_own_exclamation_ends_the_words():
    """ "“Resign now!” the furious harbour chief, Lee Park, shouted": the words
    after a quote that ends its own sentence describe the speaker."""
    text = (
        "Lee Park runs the port of Kessel.\n\n"
        "“Resign now!” the furious harbour chief, Lee Park, shouted at the mayor."
    )
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == "“Resign now!”"
    assert quote.speaker == "Lee Park"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Park, who boasted about “record profits,” left the meeting early.",
            "“record profits,”",
        ),
        (
            "The levy, which Park called “a tax on fish” in March, was dropped.",
            "which Park called “a tax on fish” in March",
        ),
    ],
)
def test_a_relative_clause_holding_the_cue_ends_at_its_comma(sentence, content):
    """ "Park, who boasted about “record profits,” left early": the relative
    clause the cue stands in ends at its comma (inside the quote or after it);
    the main verb after it is the writer's."""
    text = "Lee Park runs the port of Kessel.\n\n" + sentence
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == content


def test_a_verb_presenting_its_object_as_something_is_a_cue_with_its_as():
    """ "Holm portrayed the ferry company as “a cartel”", "heralded the deal as a
    “breakthrough”": the words are the speaker's; without "as" the verb reports
    nothing ("Holm painted the “Blue Door” cafe")."""
    text = "Ann Holm portrayed the ferry company as “a cartel.”"
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Ann Holm"
    assert text[quote.start : quote.end].startswith("the ferry company as")
    assert not extract_quotes("Ann Holm painted the “Blue Door” cafe last summer.")


def test_as_someone_put_it_attributes_the_quote():
    """ "As the Ledger put it, “…”", "as she puts it, “…”": the writer gives the
    words as someone's."""
    (quote,) = extract_quotes("As the Kessel Ledger put it, “No ferry, no town.”")
    assert quote.text == "“No ferry, no town.”"
    assert quote.cue == "put it"


def test_calls_and_cheers_of_a_crowd_are_quotes():
    """ "calls of “…” and “…”", "cheers of “…”": what a crowd called out."""
    text = "There were constant calls of “Go Holm” and “Open it” along the quay."
    (quote,) = extract_quotes(text)
    assert quote.text == "“Go Holm” and “Open it”"


def test_each_turn_of_a_transcript_paragraph_is_its_speakers():
    """ "Holm: “…” Park: “…”": the second speaker's turn is a quote of its own;
    a paragraph of thousands of turns is read for a few and stays fast."""
    found = quotes(
        "Ann Holm and Lee Park met on the quay.",
        "Holm: “The port stays open.” Park: “The port closes at noon.”",
    )
    assert [(q.text, q.speaker) for q in found] == [
        ("“The port stays open.”", "Ann Holm"),
        ("“The port closes at noon.”", "Lee Park"),
    ]
    text = "Ann Holm and Lee Park met.\n\n" + "Holm: “Yes.” Park: “No.” " * 3000
    started = time.perf_counter()
    extract_quotes(text)
    assert time.perf_counter() - started < 2


def test_a_long_sentence_of_quotes_without_a_cue_stays_linear():
    """Before each quote only the cue's reach is read: a sentence of 1,000 short
    quotes and no verb of saying (18,500 characters) took about 13 s when each
    quote reread the sentence before it; about 1 s now."""
    text = "Dockers kept singing “a” and “b” and " * 500 + "left."
    started = time.perf_counter()
    extract_quotes(text)
    assert time.perf_counter() - started < 4


def test_a_cue_after_a_conjunction_is_no_report_inside_the_first():
    """ "Park said as the mayor shouted: “…”": "as" opens a clause of its own, so
    the second verb is the next quote's cue and its subject the speaker."""
    text = (
        "Lee Park runs the port of Kessel. Tom Lund is the mayor.\n\n"
        "“We are ready,” Park said as the mayor shouted: “Resign!”"
    )
    first, second = extract_quotes(text)
    assert first.speaker == "Lee Park"
    assert text[second.start : second.end] == "“Resign!”"
    assert second.speaker != "Lee Park"


def test_a_headline_verb_whose_whole_object_is_quoted_names_a_thing():
    """ "Holm Renames ‘Blue Star’": a quote that is all a non-speech verb's object
    in a headline is a name or a title, not words Holm said."""
    found = quotes(
        "Ann Holm Renames ‘Blue Star’",
        "The ferry owner Ann Holm gave the boat a new name on Monday.",
    )
    assert found == []


def test_a_credit_line_under_a_continued_quote_signs_nothing():
    """The next paragraph of a speaker's words keeps its speaker when a wire
    credit follows it ("- Kessel Wire.")."""
    found = quotes(
        "“The port stays open,” said Ann Holm, the union leader.",
        "“We will not move until the owners talk to us.”",
        "- Kessel Wire.",
    )
    assert [q.speaker for q in found] == ["Ann Holm"]


def test_a_wire_credit_under_a_quoted_paragraph_signs_nothing():
    """ "- Reuters." under a quoted paragraph is the story's credit, not the
    speaker's signature."""
    assert not quotes("The port closed.", "“Nobody told us anything.”", "- Reuters.")


def test_a_name_opening_a_reporting_sentence_speaks_past_a_long_appositive():
    """ "Ann Holm, the spokeswoman for the Kessel Port Authority said in a
    statement. “…”": the appositive's closing comma is missing; the name opening
    the sentence is still its subject."""
    found = quotes(
        "Ann Holm, the chief spokeswoman for the union of the Kessel Port Authority "
        "said in a statement. “There are no ferries to cancel. The strike is over.”"
    )
    assert [q.speaker for q in found] == ["Ann Holm"]


def test_a_clause_after_said_is_no_speaker():
    """ "Park, who called the strike “a disgrace,” said the crews would be paid":
    what follows "said" is a clause (it has a verb), not the speaker; the quote
    stays, given to the subject before the cue. A relative clause after a described
    speaker is dropped from the label; a clause opening the sentence gives its
    subject ("The harbour master has called …")."""
    _, second = quotes(
        "“The strike is over,” Lee Park said.",
        "Park, who called the strike “a disgrace,” said the crews would be paid.",
    )
    assert second.text == "the strike “a disgrace,”"
    assert second.speaker == "Lee Park"
    quote = only("“We stay,” said a port official who was not allowed to speak.")
    assert quote.speaker == "a port official"
    quote = only("The harbour master has called the plan “a folly” on the radio.")
    assert quote.speaker == "The harbour master"


def test_a_place_is_no_speaker_and_no_one_a_pronoun_means():
    """ "a woman in Holmsund, Vermont, told him": the town (a state follows it; "in"
    comes before it) is where the speaker is from, not who speaks; a place named
    in the article is never the person a later "he" refers to."""
    woman, park = quotes(
        "Lee Park is assuring voters he is tough after a woman in Holmsund, "
        "Vermont, told him he is “too kind” to lead.",
        "He tells the crowd: “I can be kind and tough.”",
    )
    assert woman.speaker == "a woman"
    assert park.speaker == "Lee Park"
    quote = only("Mira Holm, 41, of Kessel, Mich., said the port was “ready to sail.”")
    assert quote.speaker == "Mira Holm"
    quote = only(
        "Lee Park spoke at the port of Kessel.",
        "On Monday he toured Salem, New Hampshire. “The ferries will run,” he said.",
    )
    assert quote.speaker == "Lee Park"
    # A state after a name and before a role is the role's ("Jane Doe, Ohio
    # Secretary of State"), not where she is.
    quote = only(
        "Mira Holm, Vermont harbour chief, spoke on Monday.",
        "“We will sail,” she said.",
    )
    assert quote.speaker == "Mira Holm"


def test_a_stored_body_is_read_for_quotes_up_to_its_bound(monkeypatch):
    """A body longer than QUOTES_MAX_CHARS (a page built to hold a worker) is read
    for quotes in its whole paragraphs within the bound; the paragraph indices of
    those quotes stay the body's own."""
    from cupure.quotes import extract

    paragraphs = [
        "The port of Kessel reopened on Monday.",
        "“The queues are gone,” Lee Park said.",
        "The ferries ran late all week, and the crews were paid overtime.",
        "“We will sail at dawn,” Mira Holm said.",
    ]
    everything = extract.quotes_from_paragraphs(paragraphs)
    assert [(q.speaker, q.paragraph) for q in everything] == [
        ("Lee Park", 1),
        ("Mira Holm", 3),
    ]

    monkeypatch.setattr(extract, "QUOTES_MAX_CHARS", 100)
    (first,) = extract.quotes_from_paragraphs(paragraphs)
    assert (first.speaker, first.paragraph, first.text) == (
        "Lee Park",
        1,
        "“The queues are gone,”",
    )


def test_a_place_naming_which_one_is_not_the_speaker():
    """ "The Vermont senator said": the state says which senator, the senator
    speaks; a role after the owner's role ("Park’s deputy, harbour pilot Mira
    Holm") comes before the name of who speaks."""
    quote = only(
        "Mira Holm spoke on Monday.",
        "The Vermont senator sought to calm the crews, saying they would be “paid "
        "in full.”",
    )
    assert quote.speaker == "The Vermont senator"
    quote = only("“We will sail,” said Lee Park’s deputy, harbour pilot Mira Holm.")
    assert quote.speaker == "Mira Holm"


def test_a_headline_is_no_one_and_a_long_run_ends_with_the_name():
    """A headline in Title Case or in capitals is not a person a later "Holm" or
    "she" refers to; a run too long for a name, with no headline's small words,
    is a role before the name ("Kessel City Public Advocate Mira Holm")."""
    quote = only(
        "Why The Ferry Strike Is Not Over For Mira Holm",
        "The crews met on Monday.",
        "“We will sail,” Holm said.",
    )
    assert quote.speaker == "Holm"
    quote = only("FERRY CREWS RETURN TO THE QUAY", "“We sail at dawn,” she said.")
    assert quote.speaker == ""
    quote = only("“We sail at dawn,” said Kessel City Public Advocate Mira Holm.")
    assert quote.speaker == "Mira Holm"


def test_a_state_ending_an_introductory_phrase_is_not_the_subject():
    """ "Speaking in Salem, New Hampshire, Lee Park went after Tom Lund, calling
    him “…”": the state closes the phrase before the subject, who speaks (and
    whom the next "he" means)."""
    first, second = quotes(
        "Speaking at a town hall in Salem, New Hampshire, Lee Park went after Tom "
        "Lund, calling him “a stiff.”",
        "He says, “Lund is no leader.”",
    )
    assert first.speaker == "Lee Park"
    assert second.speaker == "Lee Park"


def test_a_possessive_name_owns_the_speaker_and_is_not_it():
    """ "“…,” Park’s deputy said": Park is whose deputy, not who speaks; the
    deputy is the speaker, or the person the article made Park's deputy. What
    Park owns that is no person ("Park’s letter") speaks for Park."""
    quote = only("Lee Park spoke on Monday.", "“We will win,” Park’s deputy said.")
    assert quote.speaker == "Park’s deputy"
    quote = only(
        "Mira Holm, the deputy, stood by Lee Park.",
        "“We will win,” said Park’s deputy.",
    )
    assert quote.speaker == "Mira Holm"
    quote = only(
        "Lee Park wrote on Monday.",
        "Park’s letter makes the case: “The port is the town.”",
    )
    assert quote.speaker == "Lee Park"


def test_a_subject_is_read_up_to_its_verb():
    """ "The harbour master changed her story …, saying": the subject ends where a
    past tense with its object begins; the speaker is "The harbour master", not
    the clause."""
    quote = only(
        "The harbour master changed her story a week later, saying the ferries "
        "were “never late.”"
    )
    assert quote.speaker == "The harbour master"
    quote = only(
        "The harbour master began by talking about the strike, saying the crews "
        "were “tired.”"
    )
    assert quote.speaker == "The harbour master"


def test_a_name_never_runs_across_a_full_stop():
    # "Dan Ross. Holm" is two people; initials and titles keep a name whole.
    quote = only(
        "Lee Park met Mira Holm at the port of Kessel on Monday. The plan was "
        "drafted by Dan Ross. Holm then left.",
        "“We will reopen it,” she said.",
    )
    assert quote.speaker == "Mira Holm"
    assert only("“We will reopen it,” said Lee W. Park.").speaker == "Lee W. Park"
    assert only("“We will reopen it,” said Mr. Park.").speaker == "Park"
    quote = only("“We will reopen it,” said Mira Holm, the mayor of St. Kessel.")
    assert quote.speaker == "Mira Holm"


def test_a_run_of_capitalised_words_is_read_in_linear_time():
    # "McA" could be read as one word two ways: 30 of them took minutes.
    text = "McA " * 30 + "x said “yes” to it."
    started = time.perf_counter()
    extract_quotes(text)
    assert time.perf_counter() - started < 1


def test_a_pronoun_after_another_name_tells_nothing_of_the_subject_gender():
    # "her" is Holm's: Park is not known to be a woman, and "he" can be Park.
    quote = only(
        "Lee Park and Mira Holm are running for mayor of Kessel.",
        "Park went after Holm on Monday, calling her a friend of the port owners.",
        "“The port is not for sale,” he said.",
    )
    assert quote.speaker == "Lee Park"


def test_a_name_then_an_aside_ending_with_a_place_is_the_subject():
    # "Holm," is no opening connective ("Moreover,"): she speaks.
    quote = only(
        "Holm, during a meeting in Kessel, Sweden, said the port “is not for sale.”"
    )
    assert quote.speaker == "Holm"
    assert quote.role == ""


def test_an_owner_speaks_for_its_answer_and_the_quote_starts_after_it():
    quote = only("The Oregon mayor’s answer was that “the port is not for sale.”")
    assert quote.speaker == "The Oregon mayor"
    assert quote.text == "that “the port is not for sale.”"
    quote = only("Mira Holm’s answer was that “the port is not for sale.”")
    assert quote.speaker == "Mira Holm"
    assert quote.text == "that “the port is not for sale.”"


def test_dotted_initials_keep_their_last_full_stop():
    quote = only("“The port is not for sale,” said J.K. Holm, the mayor.")
    assert quote.speaker == "J.K. Holm"


def test_a_participle_opening_a_sentence_is_no_speaker():
    # "Informed" opens the sentence; "Early" (a surname here) is read as a word
    # opening a phrase, so at worst the speaker is left blank.
    quote = only(
        "Mira Early runs the port of Kessel. Informed of the losses, Early "
        "described them as “a disgrace.”"
    )
    assert quote.speaker in {"Mira Early", ""}

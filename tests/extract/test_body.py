"""Tests for cupure.extract.body: trafilatura XML (and HTML) into blocks."""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from cupure.extract import extract_article
from cupure.extract.body import body_from_html, body_from_xml


def _blocks(xml: str) -> list[str]:
    return body_from_xml(etree.fromstring(xml)).blocks


def test_heading_inside_a_paragraph_is_its_own_block() -> None:
    """Text, a nested <head> and the text after it become three blocks, not one."""
    assert _blocks(
        "<body><p>Intro text.<head rend='h2'>Section</head>After the heading.</p>"
        "</body>"
    ) == ["Intro text.", "Section", "After the heading."]


def test_line_breaks_end_blocks_and_formatting_is_flattened() -> None:
    """<lb/> ends a block; <hi> and <ref> are plain text inside it."""
    assert _blocks(
        "<body><p>First <hi rend='#b'>bold</hi> line<lb/>second "
        "<ref target='x'>link</ref> line</p></body>"
    ) == ["First bold line", "second link line"]


def test_list_items_are_blocks_and_nested_lists_follow_their_item() -> None:
    """Each <item> is a block; a nested list's items come after their parent."""
    assert _blocks(
        "<body><list><item>One<list><item>One.a</item></list></item>"
        "<item>Two</item></list></body>"
    ) == ["One", "One.a", "Two"]


def test_table_row_is_one_block_even_with_paragraphs_in_cells() -> None:
    """Cells join with " | "; a <p> inside a cell does not split the row."""
    assert _blocks(
        "<body><table><row><cell><p>1</p></cell><cell><p>Alaska</p></cell>"
        "<cell>$14.55</cell></row><row><cell>2</cell><cell>Wyoming</cell></row>"
        "</table></body>"
    ) == ["1 | Alaska | $14.55", "2 | Wyoming"]


def test_a_table_of_lists_reads_item_by_item() -> None:
    """A pros and cons table holds a list in each cell: its items are read one by
    one down each column, not run together across the row; the header row stays
    one block."""
    assert _blocks(
        "<body><table><row><cell role='head'>Pros</cell><cell role='head'>Cons"
        "</cell></row><row><cell><list><item><p>Fast crossings</p></item><item>"
        "<p>Cheap fares</p></item></list></cell><cell><list><item>Few sailings"
        "</item></list></cell></row></table></body>"
    ) == ["Pros | Cons", "Fast crossings", "Cheap fares", "Few sailings"]


def test_a_row_naming_its_list_stays_one_row() -> None:
    """A reference table whose row names its setting and lists the values it
    takes is a row as the browser shows it, not loose items."""
    assert _blocks(
        "<body><table><row><cell>scheme</cell><cell>The protocol, one of:<list>"
        "<item>http</item><item>https</item></list></cell></row></table></body>"
    ) == ["scheme | The protocol, one of: http https"]


def test_html_cells_left_without_their_table_are_kept_apart() -> None:
    """trafilatura sometimes keeps a table's <th>/<td> but drops <table> and <tr>:
    the cells' words must not run together ("BaselinePrivate")."""
    assert _blocks(
        "<body><p>Our results:</p><th>Baseline</th><th>Private Internet Access</th>"
        "<td>Download speed</td><td>95.08</td></body>"
    ) == [
        "Our results:",
        "Baseline | Private Internet Access | Download speed | 95.08",
    ]


def test_inline_code_stays_inline_and_code_blocks_split_into_lines() -> None:
    """One-line <code> is part of the sentence; a multi-line one is one block a line."""
    assert _blocks(
        "<body><p>Use the <code>IHttpClientFactory</code> pipeline.</p>"
        "<code>int x = 1;\nreturn x;</code></body>"
    ) == ["Use the IHttpClientFactory pipeline.", "int x = 1;", "return x;"]


def test_a_line_of_code_keeps_its_indentation() -> None:
    """Indentation nests a block of Python and is how code is read: each line
    keeps its own (a tab as four spaces), the last one too."""
    assert _blocks(
        "<body><code>def harbour():\n    if open:\n\treturn 1\n\t\tpass</code></body>"
    ) == ["def harbour():", "    if open:", "    return 1", "        pass"]


def test_picture_positions_count_paragraphs_before_them() -> None:
    """A picture between blocks sits after the blocks before it; one inside a
    paragraph comes after that paragraph; text trafilatura put in <graphic> stays."""
    body = body_from_xml(
        etree.fromstring(
            "<body><graphic src='a.jpg'/><p>One</p><p>Two<graphic src='b.jpg'/> "
            "more</p><p><graphic src='c.jpg'>1. Starburst</graphic></p></body>"
        )
    )
    assert body.blocks == ["One", "Two more", "1. Starburst"]
    assert body.images == [("a.jpg", 0), ("b.jpg", 2), ("c.jpg", 2)]


def test_html_bodies_are_read_the_same_way() -> None:
    """HTML block elements, <br>, <img> and <pre> follow the same rules."""
    body = body_from_html(
        lxml_html.fragment_fromstring(
            "<div><h2>Title</h2><p>A<br>B</p><img src='x.jpg'><ul><li>item</li></ul>"
            "<pre>line 1\nline 2</pre>"
            "<table><tr><td>a</td><td>b</td></tr></table></div>"
        )
    )
    assert body.blocks == ["Title", "A", "B", "item", "line 1", "line 2", "a | b"]
    assert body.images == [("x.jpg", 3)]


def test_empty_body() -> None:
    """No element, no blocks."""
    assert body_from_xml(None).blocks == []


def test_ordered_list_items_carry_their_numbers() -> None:
    """Ordered list items start with the number the browser shows; bullets do
    not (trafilatura XML and HTML alike, honouring <ol start>)."""
    xml = etree.fromstring(
        '<body><list rend="ol"><item>First <hi>pick</hi></item><item>Second</item>'
        '</list><list rend="ul"><item>A bullet</item></list></body>'
    )
    assert body_from_xml(xml).blocks == ["1. First pick", "2. Second", "A bullet"]
    fragment = lxml_html.fragment_fromstring(
        '<div><ol start="4"><li>Four</li><li>Five</li></ol></div>'
    )
    assert body_from_html(fragment).blocks == ["4. Four", "5. Five"]


def test_an_items_number_goes_with_the_paragraph_the_item_wraps() -> None:
    """An ordered list item that wraps its text in a paragraph shows its number
    before that text, not as a block of its own; an item with no text leaves no
    number behind."""
    fragment = lxml_html.fragment_fromstring(
        "<div><ol><li><p>Stretch before the climb</p></li><li><p></p></li>"
        "<li><p>Carry <em>two</em> litres of water</p></li></ol></div>"
    )
    assert body_from_html(fragment).blocks == [
        "1. Stretch before the climb",
        "3. Carry two litres of water",
    ]


def test_an_item_that_prints_its_own_number_shows_it_once() -> None:
    """A step list that prints each item's number in an element of its own
    ("<div class=stepnum>1</div>") reads "1. Look for a deal", not a block "1. 1"
    and the step's text apart; a number that is not the item's stays text."""
    fragment = lxml_html.fragment_fromstring(
        '<div><ol><li><div class="stepnum">1</div><p><strong>Look for a deal.'
        "</strong> Book online.</p></li><li><div>02.</div><p>Pick it up at the"
        " airport.</p></li><li><div>7</div><p>Check the fuel.</p></li></ol></div>"
    )
    assert body_from_html(fragment).blocks == [
        "1. Look for a deal. Book online.",
        "2. Pick it up at the airport.",
        "3. 7",
        "Check the fuel.",
    ]


def test_a_numbered_item_s_heading_has_the_number_and_its_text_is_a_paragraph() -> None:
    """An ordered list whose items are a heading and a paragraph (a how-to's
    steps): the heading is shown with the item's number, the paragraph under it as
    a paragraph, not as an item of its own (with no number, which the article page
    never adds)."""
    page = """<html><head><title>Packing for the ferry</title></head><body><article>
    <h1>Packing for the ferry</h1>
    <p>The harbour ferry allows two bags a passenger on the crossing to the islands
    this winter, the operator said.</p>
    <ol><li><h3>Pack light</h3><p>Bags go in the racks by the stairs, where the crew
    can reach them in a storm.</p></li>
    <li><h3>Bring a coat</h3><p>The upper deck is open to the wind and the spray for
    the whole crossing.</p></li></ol>
    <ol><li>Keep your ticket until you land.</li></ol>
    </article></body></html>"""
    extracted = extract_article(page, url="https://post.example/news/packing")
    assert list(zip(extracted.paragraphs, extracted.block_kinds, strict=True)) == [
        (extracted.paragraphs[0], "p"),
        ("1. Pack light", "h3"),
        (extracted.paragraphs[2], "p"),
        ("2. Bring a coat", "h3"),
        (extracted.paragraphs[4], "p"),
        ("1. Keep your ticket until you land.", "oli"),
    ]


def test_a_paragraph_set_in_a_heading_element_is_a_paragraph() -> None:
    """Pages set a lead or a promotion in an <h2>: more than 20 words is no
    subheading, and the article page must not show it as one."""
    lead = (
        "Our team has tested and researched dozens of ferry routes around the "
        "harbour this winter, and these are our picks for commuters, cyclists "
        "and families with prams"
    )
    page = f"""<html><head><title>Ferry routes</title></head><body><article>
    <h1>Ferry routes</h1><h2>{lead}</h2>
    <p>The harbour ferry allows two bags a passenger on the crossing to the islands
    this winter, the operator said on Monday.</p>
    <h2>The North Quay line</h2>
    <p>Boats leave every twenty minutes from six in the morning until midnight on
    weekdays, and every half hour at weekends.</p>
    </article></body></html>"""
    extracted = extract_article(page, url="https://post.example/news/routes")
    assert list(zip(extracted.paragraphs, extracted.block_kinds, strict=True)) == [
        (lead, "p"),
        (extracted.paragraphs[1], "p"),
        ("The North Quay line", "h2"),
        (extracted.paragraphs[3], "p"),
    ]

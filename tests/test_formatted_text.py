"""The Markdown subset of long text fields: what a planner types and what readers get."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from pathways.formatted_text import ListBlock, Paragraph, Run, blocks, render, sanitise


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(str(render(text)), "html.parser")


def items(list_element) -> list[str]:
    return [li.get_text(" ", strip=True) for li in list_element.find_all("li", recursive=False)]


@pytest.mark.parametrize("bullet", ["•\t", "·\t", "o\t", "–\t", "•  ", "·         ", "- ", "* "])
def test_a_pasted_word_bullet_list_becomes_a_list(bullet):
    html = soup(f"Vi sørger for:\n{bullet}Første punkt\n{bullet}Andet punkt")
    assert html.p.get_text() == "Vi sørger for:"
    assert items(html.ul) == ["Første punkt", "Andet punkt"]


@pytest.mark.parametrize("number", ["{n}.\t", "{n})\t", "{n}. ", "{n}) "])
def test_a_pasted_word_numbered_list_becomes_a_numbered_list(number):
    text = "\n".join(number.format(n=n) + word for n, word in [(1, "Et"), (2, "To"), (3, "Tre")])
    assert items(soup(text).ol) == ["Et", "To", "Tre"]


def test_the_paragraph_after_a_pasted_word_list_is_no_part_of_it():
    html = soup("Før:\n•\tA\n•\tB\nEfter listen.")
    assert items(html.ul) == ["A", "B"]
    assert [p.get_text() for p in html.find_all("p")] == ["Før:", "Efter listen."]


def test_word_sub_bullets_nest_under_the_item_before():
    html = soup("•\tA\no\tA1\no\tA2\n•\tB")
    top = html.find("ul")
    assert [li.contents[0].strip() for li in top.find_all("li", recursive=False)] == ["A", "B"]
    assert items(top.li.ul) == ["A1", "A2"]


@pytest.mark.parametrize(
    "text",
    [
        "o ord",  # "o" needs a tab: it is also a letter
        "– en tankestreg midt i teksten",  # a dash with one space is a dash
        "Skrevet i 2025. Det var året",
        "Over 18 år:\n> 18 år",  # no block quote
        "# ikke en overskrift",
        "    indrykket linje",  # no code block
    ],
)
def test_ordinary_text_stays_a_paragraph(text):
    html = soup(text)
    assert [tag.name for tag in html.find_all(True)] in (["p"], ["p", "br"])
    assert html.get_text().replace("\n", "") == text.replace("\n", "").lstrip()


def test_bold_italic_paragraphs_and_line_breaks():
    html = render("**Fed** og *kursiv*\nny linje\n\nNyt afsnit")
    assert str(html) == (
        "<p><strong>Fed</strong> og <em>kursiv</em><br>\nny linje</p>\n<p>Nyt afsnit</p>"
    )


def test_links_get_rel_and_only_web_and_mail_addresses():
    html = soup(
        "[SST](https://www.sst.dk) <https://www.sst.dk/da> [skriv](mailto:a@region.dk) "
        "[ftp](ftp://x.dk/f) [intern](/admin/)"
    )
    links = {a.get_text(): a for a in html.find_all("a")}
    assert links["SST"]["href"] == "https://www.sst.dk"
    assert links["https://www.sst.dk/da"]["href"] == "https://www.sst.dk/da"
    assert links["skriv"]["href"] == "mailto:a@region.dk"
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in links.values())
    assert not links["ftp"].has_attr("href")
    assert not links["intern"].has_attr("href")


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        "[klik](JAVASCRIPT:alert(1))",
        '<a href="javascript:alert(1)">klik</a>',
        "![billede](https://x.dk/a.png)",
        "<b onmouseover=alert(1)>fed</b>",
    ],
)
def test_nothing_a_browser_would_run_or_load_gets_through(text):
    html = soup(text)
    assert not html.find_all(["script", "img", "b", "iframe"])
    for tag in html.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")]
        assert "javascript" not in tag.get("href", "").lower()
    # Raw HTML is shown as the characters typed, not interpreted and not lost.
    if text.startswith("<"):
        assert html.get_text() == text


def test_the_sanitiser_removes_what_the_parser_might_let_through():
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">b</a><a href="https://x.dk" target="_blank">c</a>'
        '<iframe src="https://x.dk"></iframe></p><h1>d</h1><!-- x -->'
    )
    assert sanitise(dirty) == (
        '<p>a<a rel="noopener noreferrer">b</a>'
        '<a href="https://x.dk" rel="noopener noreferrer">c</a></p>d'
    )


def test_empty_text_renders_nothing():
    assert render("") == "" and render(None) == "" and render(" \n ") == ""


def test_blocks_give_the_same_structure_for_a_word_export():
    found = blocks("Vi gør:\n•\t**A** se [SST](https://www.sst.dk)\no\tA1\n\n2.\tx\n3.\ty")
    assert found == [
        Paragraph([Run("Vi gør:")]),
        ListBlock(
            ordered=False,
            items=[
                [
                    Paragraph(
                        [
                            Run("A", bold=True),
                            Run(" se "),
                            Run("SST", href="https://www.sst.dk"),
                        ]
                    ),
                    ListBlock(ordered=False, items=[[Paragraph([Run("A1")])]]),
                ]
            ],
        ),
        ListBlock(ordered=True, start=2, items=[[Paragraph([Run("x")])], [Paragraph([Run("y")])]]),
    ]

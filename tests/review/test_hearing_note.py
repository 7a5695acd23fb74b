"""The høringsnotat: per party its answer, per comment its response and what was changed,
open points first; as a page, a PDF and a Word file."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.programs.models import Membership, Organisation, Role
from pathways.review import proposals, rounds, services
from pathways.review.hearing_note import build_hearing_note
from pathways.review.models import Comment, PartyInvitation, ReviewRound
from tests.factories import UserFactory
from tests.pdf.pdf_text import flat, page_texts, reader
from tests.pdf.pdf_ua import pdf_ua_problems

pytestmark = pytest.mark.django_db

OPEN_BODY = "Hvem indkalder til netværksmødet?"
PROPOSAL_BODY = "Formålet kan skærpes"
PROPOSED = "Et skarpere formål for alle med sjældne sygdomme"
REPLY = "Tak, det er indarbejdet."
EDITOR_NOTE = "Redaktørens egen bemærkning under runden"


def member(program, role, username=None):
    memberships = Membership.objects.filter(program=program, role=role).select_related("user")
    if username:
        memberships = memberships.filter(user__username=username)
    return memberships.first().user


@pytest.fixture
def consultation(demo_program):
    """A closed round with two parties (the demo reviewer's municipality and one answering
    through a personal link): an open question, an accepted proposal with a response."""
    program = demo_program
    editor = member(program, Role.EDITOR, "planlaegger")
    reviewer = member(program, Role.REVIEWER)
    before = services.add_comment(
        program=program, user=editor, step_key="grundlag", body="Skrevet før runden"
    )
    rounds.add_party_contact(
        program=program,
        user=editor,
        organisation_name="Brønderslev Kommune",
        name="Bo Hansen",
        email="bo@example.org",
    )
    review_round = services.submit_for_review(
        program=program,
        user=editor,
        organisations=[Organisation.objects.get(name="Brønderslev Kommune")],
        cover_letter="Kære høringsparter",
    )
    invitation = PartyInvitation.objects.get(party__round=review_round)
    services.give_verdict(
        program=program, user=reviewer, verdict="agree_with_comments", note="Fint med PPR"
    )
    services.give_verdict(
        program=program, invitation=invitation, verdict="object", note="Mangler tandpleje"
    )
    open_point = services.add_comment(
        program=program, user=reviewer, step_key="del-4-4", body=OPEN_BODY
    )
    proposal = services.add_comment(
        program=program,
        invitation=invitation,
        step_key="grundlag",
        body=PROPOSAL_BODY,
        field_key="doc:purpose",
        proposed_text=PROPOSED,
    )
    services.add_comment(
        program=program, user=editor, step_key="grundlag", body=REPLY, parent=proposal
    )
    services.add_comment(program=program, user=editor, step_key="grundlag", body=EDITOR_NOTE)
    ReviewRound.objects.filter(pk=review_round.pk).update(deadline=datetime.date(2020, 1, 1))
    rounds.close_round(program=program, user=editor)
    proposals.accept_proposal(program=program, user=editor, comment_id=proposal.pk)
    return {
        "program": program,
        "editor": editor,
        "reviewer": reviewer,
        "round": ReviewRound.objects.get(pk=review_round.pk),
        "open": open_point,
        "proposal": proposal,
        "before": before,
    }


def summary_url(program, query=""):
    return reverse("review:summary", args=[program.code]) + query


# The data ----------------------------------------------------------------------------------


def test_the_note_holds_both_parties_and_the_rounds_comments_open_first(consultation):
    note = build_hearing_note(consultation["program"])
    assert note.round_number == 1 and note.cover_letter == "Kære høringsparter"
    parties = {p.name: p for p in note.parties}
    assert set(parties) == {"Aalborg Kommune", "Brønderslev Kommune"}
    assert parties["Aalborg Kommune"].verdict_label == "Enig med bemærkninger"
    assert parties["Brønderslev Kommune"].verdict_label == "Gør indsigelse"
    assert parties["Brønderslev Kommune"].given_by == "Bo Hansen"
    assert [p.body for p in note.open_points] == [OPEN_BODY, EDITOR_NOTE]
    (handled,) = note.handled_points
    assert handled.body == PROPOSAL_BODY
    assert handled.author == "Bo Hansen" and handled.party == "Brønderslev Kommune"
    assert handled.subject == "Formål"  # the answer's label, from its field key
    assert handled.proposal_label == "indarbejdet"
    assert [(r.author, r.text) for r in handled.responses][0][1] == REPLY
    assert handled.changes_url.endswith(
        reverse("review:round_changes", args=[consultation["program"].code]) + "#changes-grundlag"
    )
    # A comment written before the round opened is not the round's.
    assert "Skrevet før runden" not in [p.body for p in note.points]


def test_an_unanswered_party_says_so(demo_program):
    editor = member(demo_program, Role.EDITOR, "planlaegger")
    services.submit_for_review(program=demo_program, user=editor)
    (party,) = build_hearing_note(demo_program).parties
    assert not party.answered and party.verdict_label == "ikke svaret"


def test_a_later_round_has_its_own_comments_and_the_earlier_one_keeps_its_own(consultation):
    program, editor, reviewer = (consultation[k] for k in ("program", "editor", "reviewer"))
    second = services.submit_for_review(program=program, user=editor)
    services.add_comment(program=program, user=reviewer, step_key="grundlag", body="Runde to")
    latest = build_hearing_note(program)
    assert latest.round_number == 2 and latest.round_numbers == (2, 1)
    assert [p.body for p in latest.points] == ["Runde to"]
    first = build_hearing_note(program, consultation["round"])
    assert "Runde to" not in [p.body for p in first.points]
    assert second.number == 2


def test_the_note_reads_a_fixed_number_of_queries_however_many_comments(consultation):
    program, reviewer = consultation["program"], consultation["reviewer"]
    review_round = consultation["round"]

    def count():
        with CaptureQueriesContext(connection) as queries:
            build_hearing_note(program, review_round)
        return len(queries)

    count()  # warm the caches a first read fills (labels, the model's entries)
    before = count()
    # More comments with replies in the round (created inside its window, for its party).
    party = review_round.verdicts.get(organisation__name="Aalborg Kommune")
    for n in range(4):
        top = Comment.objects.create(
            program=program, step_key="grundlag", author=reviewer, party=party, body=f"Nr. {n}"
        )
        Comment.objects.create(
            program=program, step_key="grundlag", author=reviewer, parent=top, body="svar"
        )
    assert count() == before
    assert len(build_hearing_note(program, review_round).points) == 3 + 4


# The page ----------------------------------------------------------------------------------


def test_the_page_lists_parties_open_points_before_handled_and_links_the_change(
    client, consultation
):
    program = consultation["program"]
    client.force_login(consultation["editor"])
    html = client.get(summary_url(program)).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    rows = [r.get_text(" ", strip=True) for r in soup.select("#parties tbody tr")]
    assert any("Aalborg Kommune" in r and "Enig med bemærkninger" in r for r in rows)
    assert any("Brønderslev Kommune" in r and "Gør indsigelse" in r for r in rows)
    assert html.index(OPEN_BODY) < html.index(PROPOSAL_BODY)
    assert soup.select_one("#open-comments").find(string=lambda s: OPEN_BODY in s)
    handled = soup.select_one(f"#resolved-{consultation['proposal'].pk}")
    assert REPLY in handled.get_text() and "indarbejdet" in handled.get_text()
    link = handled.select_one(".what-changed a")["href"]
    assert link == (reverse("review:round_changes", args=[program.code]) + "#changes-grundlag")
    downloads = soup.select_one("#downloads")
    assert downloads.find("a", string="Hent som PDF")["href"].startswith(
        reverse("review:summary_pdf", args=[program.code])
    )
    assert downloads.find("a", string="Hent som Word (.docx)")


def test_the_round_picker_shows_an_earlier_round_and_bad_values_fall_back(client, consultation):
    program, editor = consultation["program"], consultation["editor"]
    services.submit_for_review(program=program, user=editor)
    client.force_login(editor)
    latest = client.get(summary_url(program)).content.decode()
    assert 'id="round-picker"' in latest and "Høringsrunde 2" in latest
    assert PROPOSAL_BODY not in latest
    first = client.get(summary_url(program, "?runde=1")).content.decode()
    assert "Høringsrunde 1" in first and PROPOSAL_BODY in first
    for bad in ("abc", "99", "-1", "1.5", "%00"):
        response = client.get(summary_url(program, f"?runde={bad}"))
        assert response.status_code == 200
        assert "Høringsrunde 2" in response.content.decode()
    pdf = client.get(reverse("review:summary_pdf", args=[program.code]) + "?runde=abc")
    assert pdf.status_code == 200


def test_who_may_read_the_note_and_its_files(client, consultation):
    program = consultation["program"]
    urls = [
        summary_url(program),
        reverse("review:summary_pdf", args=[program.code]),
        reverse("review:summary_docx", args=[program.code]),
    ]
    client.force_login(UserFactory())
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(member(program, Role.READER))
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)


def test_a_program_never_in_consultation_has_a_page_but_no_files(client, demo_program):
    client.force_login(member(demo_program, Role.READER))
    html = client.get(summary_url(demo_program)).content.decode()
    assert "Programmet har endnu ikke været i høring." in html and "Hent som PDF" not in html
    assert client.get(reverse("review:summary_pdf", args=[demo_program.code])).status_code == 404
    assert client.get(reverse("review:summary_docx", args=[demo_program.code])).status_code == 404


def test_the_page_reads_in_english(client, consultation):
    client.force_login(consultation["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(summary_url(consultation["program"])).content.decode()
    for english in (
        "Consultation summary",
        "Download as PDF",
        "Download as Word (.docx)",
        "Open points",
        "Handled points",
        "Proposed new text",
        "See what was changed",
        "Agree with comments",
    ):
        assert english in html, english
    for danish in ("Hent som PDF", "Åbne punkter", "Behandlede punkter", "Sendt i høring"):
        assert danish not in html, danish


# The files ---------------------------------------------------------------------------------


@pytest.mark.real_pdf
def test_the_pdf_says_what_the_page_says_and_is_tagged(client, consultation):
    program = consultation["program"]
    client.force_login(consultation["editor"])
    response = client.get(reverse("review:summary_pdf", args=[program.code]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="hoeringsnotat-' in response["Content-Disposition"]
    assert "-runde-1.pdf" in response["Content-Disposition"]
    text = flat(" ".join(page_texts(response.content)))
    for expected in (
        "Høringsnotat",
        program.title,
        "Aalborg Kommune",
        "Enig med bemærkninger",
        "Brønderslev Kommune",
        "Gør indsigelse",
        "Mangler tandpleje",
        OPEN_BODY,
        PROPOSAL_BODY,
        PROPOSED,
        REPLY,
        "Se hvad der blev ændret",
    ):
        assert flat(expected) in text, expected
    assert text.index(flat("Åbne punkter")) < text.index(flat(OPEN_BODY))
    assert text.index(flat(OPEN_BODY)) < text.index(flat("Behandlede punkter"))
    assert text.index(flat("Behandlede punkter")) < text.index(flat(PROPOSAL_BODY))
    # Tagged as the program's PDF is; a note of a few pages has no table of contents.
    problems = [p for p in pdf_ua_problems(response.content) if "table of contents" not in p]
    assert problems == []
    uris = [
        str(annotation.get_object()["/A"].get("/URI", ""))
        for page in reader(response.content).pages
        for annotation in page.get("/Annots") or []
    ]
    changes = reverse("review:round_changes", args=[program.code]) + "#changes-grundlag"
    assert settings.SITE_URL + changes in uris


def test_the_word_file_has_headings_the_party_table_and_every_comment_with_its_response(
    client, consultation
):
    program = consultation["program"]
    client.force_login(consultation["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the file is Danish all the same
    response = client.get(reverse("review:summary_docx", args=[program.code]) + "?runde=1")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "-runde-1.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Høringssvar" in headings
    assert headings.index("Åbne punkter") < headings.index("Behandlede punkter")
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Høringspart", "Holdning", "Bemærkning", "Dato"]
    by_party = {row[0]: row for row in cells[1:]}
    assert by_party["Aalborg Kommune"][1:3] == ["Enig med bemærkninger", "Fint med PPR"]
    assert by_party["Brønderslev Kommune"][1:3] == ["Gør indsigelse", "Mangler tandpleje"]
    text = "\n".join(p.text for p in document.paragraphs)
    for expected in (OPEN_BODY, PROPOSAL_BODY, PROPOSED, REPLY, EDITOR_NOTE):
        assert expected in text, expected
    assert text.index(OPEN_BODY) < text.index(PROPOSAL_BODY) < text.index(REPLY)
    assert "Skrevet før runden" not in text
    links = [r.target_ref for r in document.part.rels.values() if "hyperlink" in r.reltype]
    assert any(link.endswith("#changes-grundlag") for link in links)

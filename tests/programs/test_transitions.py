"""A transition hands over between several actors at once, and the group answers the
model's checklist of what must be arranged for it (who, when)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pathways.pdf.document import build_document
from pathways.pdf.render import document_html
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import Program, TransitionAnswer
from pathways.programs.steps import find_step
from tests.programs.helpers import form_fields

pytestmark = pytest.mark.django_db

STEP = "del-4-3"
TRANSITION = "barn-ung-til-voksen"


def _post(client, program, changes):
    url = reverse("programs:step", args=[program.code, STEP])
    data = form_fields(client.get(url).content.decode())
    data.update(changes)
    data["save"] = "1"
    return client.post(url, data)


def test_two_senders_two_receivers_and_the_checklist_in_step_matrix_and_pdf(client, demo_program):
    client.force_login(demo_program.created_by)
    data = load_program_data(demo_program)
    step = find_step(data.steps, STEP)
    transition = next(t for t in step.transitions if t.key == TRANSITION)
    assert transition.arrangements, "the model lists what must be arranged"
    prefix = f"transition-{transition.pk}"
    a1, a2, a3, a4 = list(demo_program.actors.order_by("position"))[-4:]
    response = _post(
        client,
        demo_program,
        {
            f"{prefix}-relevance": "yes",
            f"{prefix}-sending": [str(a1.pk), str(a2.pk)],
            f"{prefix}-receiving": [str(a3.pk), str(a4.pk)],
            f"{prefix}-arrangement_1_responsible": str(a3.pk),
            f"{prefix}-arrangement_1_when": "Ved 17 år",
            # The rest of the checklist unanswered (the demo answers it all).
            **{
                f"{prefix}-arrangement_{n}_{field}": ""
                for n in range(2, len(transition.arrangements) + 1)
                for field in ("responsible", "when")
            },
        },
    )
    assert response.status_code == 302
    answer = TransitionAnswer.objects.get(program=demo_program, transition=transition)
    assert set(answer.senders.all()) == {a1, a2} and set(answer.receivers.all()) == {a3, a4}

    # The step shows both sides ticked and the checklist with its answer.
    page = client.get(reverse("programs:step", args=[demo_program.code, STEP]))
    soup = BeautifulSoup(page.content, "html.parser")
    ticked = {box["value"] for box in soup.select(f"input[name={prefix}-sending][checked]")}
    assert ticked == {str(a1.pk), str(a2.pk)}
    assert transition.arrangements[0] in soup.get_text()
    when = soup.find("input", attrs={"name": f"{prefix}-arrangement_1_when"})
    assert when["value"] == "Ved 17 år"

    # The document holds the refs; the PDF names all four and marks them in the matrix.
    fresh = load_program_data(Program.objects.get(pk=demo_program.pk))
    document = program_document(fresh)
    answers = document["content"][STEP]["transitions"][TRANSITION]
    assert answers["sending"] == sorted([a1.ref, a2.ref])
    assert answers["receiving"] == sorted([a3.ref, a4.ref])
    assert answers["arrangement_1_responsible"] == a3.ref
    doc = build_document(document, fresh.model(), version_label="Udkast", is_draft=True)
    view = next(t for p in doc.parts for t in p.transitions if t.title == transition.title)
    assert view.sending == f"{a1.name}, {a2.name}"
    assert view.receiving == f"{a3.name}, {a4.name}"
    assert view.arrangements[0] == (transition.arrangements[0], a3.name, "Ved 17 år")
    column = [p.step.key for p in doc.matrix_parts].index(STEP)
    rows = dict(doc.matrix_rows)
    for actor in (a1, a2, a3, a4):
        assert rows[actor.name][column], actor.name
    html = document_html(doc)
    assert f"{a1.name}, {a2.name}" in html and "Ved 17 år" in html

    # Items nobody arranges yet are advice, not gaps.
    report = assess(fresh).for_step(STEP)
    total = len(transition.arrangements)
    assert any(
        f"sørger for {total - 1} af modellens {total} punkter" in a.message for a in report.advice
    )
    assert not any(transition.title in g.message for g in report.gaps)


def test_a_relevant_transition_needs_a_sender_and_a_receiver(client, demo_program):
    client.force_login(demo_program.created_by)
    transition = next(t for t in find_step(load_program_data(demo_program).steps, STEP).transitions)
    prefix = f"transition-{transition.pk}"
    response = _post(
        client,
        demo_program,
        {f"{prefix}-relevance": "yes", f"{prefix}-sending": [], f"{prefix}-receiving": []},
    )
    assert response.status_code == 302
    report = assess(load_program_data(Program.objects.get(pk=demo_program.pk)))
    messages = [g.message for g in report.for_step(STEP).gaps]
    assert any("mangler afgivende aktør" in m for m in messages)
    assert any("mangler modtagende aktør" in m for m in messages)


def test_the_group_adds_a_transition_the_model_does_not_name(client, demo_program):
    from pathways.programs import exchange
    from tests.factories import UserFactory

    client.force_login(demo_program.created_by)
    a1, a2 = list(demo_program.actors.order_by("position"))[:2]
    response = _post(
        client,
        demo_program,
        {
            "own-0-title": "Fra specialskole til ungdomsuddannelse (STU)",
            "own-0-sending": [str(a1.pk)],
            "own-0-receiving": [str(a2.pk)],
            "own-0-trigger": "Sidste skoleår",
            "own-0-handover": "",
        },
    )
    assert response.status_code == 302
    fresh = load_program_data(Program.objects.get(pk=demo_program.pk))
    document = program_document(fresh)
    (own,) = document["content"][STEP]["own_transitions"]
    assert own == {
        "title": "Fra specialskole til ungdomsuddannelse (STU)",
        "sending": [a1.ref],
        "receiving": [a2.ref],
        "trigger": "Sidste skoleår",
        "handover": "",
    }
    # Readable on the review screen, printed in the PDF, and carried by the JSON export.
    review = client.get(reverse("programs:review", args=[demo_program.code]))
    assert "Fra specialskole til ungdomsuddannelse (STU)" in review.content.decode()
    doc = build_document(document, fresh.model(), version_label="Udkast", is_draft=True)
    view = next(t for p in doc.parts for t in p.transitions if t.title.startswith("Fra special"))
    assert (view.sending, view.receiving) == (a1.name, a2.name)
    imported = exchange.import_document(
        user=UserFactory(username="kopi"), raw=exchange.dumps(document), source="x"
    )
    again = exchange.export_document(imported)["content"][STEP]["own_transitions"]
    assert again == [own]


def test_the_group_adds_a_part_the_model_does_not_name(client, demo_program):
    from pathways.programs import exchange
    from tests.factories import UserFactory

    client.force_login(demo_program.created_by)
    actor = demo_program.actors.order_by("position").first()
    url = reverse("programs:step", args=[demo_program.code, "forloeb"])
    data = form_fields(client.get(url).content.decode())
    data.update(
        {
            "own_parts-0-title": "Ophold på specialbørnehjem",
            "own_parts-0-effort": "Aflastning og døgnophold efter barnets lov.",
            "own_parts-0-responsible": str(actor.pk),
            "save": "1",
        }
    )
    assert client.post(url, data).status_code == 302
    fresh = load_program_data(Program.objects.get(pk=demo_program.pk))
    document = program_document(fresh)
    assert document["content"]["forloeb"]["own_parts"] == [
        {
            "title": "Ophold på specialbørnehjem",
            "effort": "Aflastning og døgnophold efter barnets lov.",
            "responsible": actor.ref,
        }
    ]
    doc = build_document(document, fresh.model(), version_label="Udkast", is_draft=True)
    assert doc.own_parts == [
        ("Ophold på specialbørnehjem", "Aflastning og døgnophold efter barnets lov.", actor.name)
    ]
    assert "Ophold på specialbørnehjem" in document_html(doc)
    imported = exchange.import_document(
        user=UserFactory(username="kopi2"), raw=exchange.dumps(document), source="x"
    )
    again = exchange.export_document(imported)["content"]["forloeb"]["own_parts"]
    assert again == document["content"]["forloeb"]["own_parts"]

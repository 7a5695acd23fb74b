"""A program goes out as JSON and comes back in as the same program."""

from __future__ import annotations

import copy
import json

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from pathways.programs import exchange
from pathways.programs.models import AuditEntry, Program, ProgramStatus
from pathways.programs.step_kinds import DEFINITIONS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(generic_model):
    return UserFactory(username="importoer")


def content(program: Program) -> dict:
    return exchange.export_document(program)["content"]


def test_the_export_fits_the_schema(demo_program):
    document = exchange.export_document(demo_program)
    Draft202012Validator.check_schema(exchange.schema())
    assert list(Draft202012Validator(exchange.schema()).iter_errors(document)) == []
    assert document["model"]["version"] == "1.0"
    assert document["content"]["del-4-1"]["attention_points"]  # keyed by the model's references
    assert all(key.count("/") == 1 for key in document["content"]["del-4-1"]["attention_points"])


def test_round_trip_of_the_demo_gives_the_same_content(demo_program, planner):
    exported = exchange.dumps(exchange.export_document(demo_program))
    imported = exchange.import_document(user=planner, raw=exported.encode(), source="demo.json")
    assert imported.code != demo_program.code
    assert imported.status == ProgramStatus.DRAFT
    assert content(imported) == content(demo_program)
    entry = AuditEntry.objects.filter(program=imported, action="program_imported").get()
    assert entry.after["source"] == "demo.json" and entry.after["code"] == demo_program.code


def test_round_trip_of_hostile_text(demo_program, planner):
    document = exchange.export_document(demo_program)
    hostile = "<script>alert(1)</script> ' \" & » « \u00e6\u00f8\u00e5 \U0001f600 \\n {{ x }} %(y)s"
    document["content"]["grundlag"]["purpose"] = hostile
    document["content"]["del-4-1"]["coordination"] = hostile + "\nLinje 2\n\nLinje 4"
    imported = exchange.import_document(user=planner, raw=json.dumps(document), source="x")
    again = exchange.export_document(imported)["content"]
    assert again["grundlag"]["purpose"] == hostile
    assert again == content(imported)
    second = exchange.import_document(
        user=planner, raw=exchange.dumps(exchange.export_document(imported)), source="y"
    )
    assert content(second) == again


def _refused(planner, document_or_raw, *expected: str) -> str:
    raw = (
        document_or_raw
        if isinstance(document_or_raw, (str, bytes))
        else json.dumps(document_or_raw)
    )
    programs = Program.objects.count()
    with pytest.raises(exchange.ImportRefused) as caught:
        exchange.import_document(user=planner, raw=raw, source="bad.json")
    assert Program.objects.count() == programs  # nothing half-created
    for text in expected:
        assert text in str(caught.value), str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["model"].update(version="9.9"), ["model", "9.9"]),
        (lambda d: d["content"].update({"del-9-9": {}}), ["del-9-9"]),
        (
            lambda d: d["content"]["del-4-1"]["attention_points"].update({"4.1/99": {}}),
            ["del-4-1.attention_points.4.1/99", "opmærksomhedspunkt"],
        ),
        (
            lambda d: d["content"]["del-4-1"].update(responsible="a999"),
            ["del-4-1.responsible", "aktør"],
        ),
        (
            lambda d: d["content"]["maalgruppe"]["codes"].append(
                {"system": "icd-10", "code": "ikke en kode"}
            ),
            ["maalgruppe"],
        ),
        (lambda d: d["content"]["grundlag"].update(title=42), ["grundlag.title"]),
        (lambda d: d["content"]["grundlag"].update(region="atlantis"), ["region"]),
        (lambda d: d["content"]["grundlag"].update(title="Linje\r\nBcc: x"), ["grundlag"]),
        (lambda d: d.update(format="andet/2"), ["format"]),
    ],
    ids=[
        "unknown-model-version",
        "unknown-step",
        "unknown-attention-point",
        "undefined-actor",
        "malformed-code",
        "wrong-type",
        "unknown-region",
        "control-characters",
        "unknown-format",
    ],
)
def test_a_bad_file_is_refused_naming_the_entry(demo_program, planner, change, expected):
    document = copy.deepcopy(exchange.export_document(demo_program))
    change(document)
    _refused(planner, document, *expected)


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00", b"", b"[]", "null"], ids=str)
def test_a_file_that_is_not_a_program_document_is_refused(planner, raw):
    _refused(planner, raw)


def test_export_url_for_readers_and_404_for_outsiders(client, demo_program):
    url = reverse("programs:export_json", args=[demo_program.code])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(demo_program.created_by)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["content"] == content(demo_program)


def test_export_and_import_commands(demo_program, tmp_path, planner):
    from io import StringIO

    from django.core.management import call_command

    target = tmp_path / "program.json"
    call_command("export_program", demo_program.code, "-o", str(target), stdout=StringIO())
    out = StringIO()
    call_command("import_program", str(target), "--user", planner.username, stdout=out)
    code = out.getvalue().strip().splitlines()[-1]
    assert content(Program.objects.get(code=code)) == content(demo_program)


@pytest.mark.real_pdf
def test_the_imported_program_prints_the_same_pdf_text(demo_program, planner):
    from pathways.pdf.render import draft_pdf
    from tests.pdf.pdf_text import page_texts

    imported = exchange.import_document(
        user=planner, raw=exchange.dumps(exchange.export_document(demo_program)), source="x"
    )

    def text(program: Program) -> str:
        # The short code and the creation date are the program's own, not its content.
        return "\n".join(page_texts(draft_pdf(program))).replace(program.code, "CODE")

    assert text(imported) == text(demo_program)


def test_a_published_version_exports_the_document_it_was_published_with(client, demo_program):
    from tests.factories import published_version

    version = published_version(demo_program)
    Program.objects.filter(pk=demo_program.pk).update(title="Omdøbt udkast")
    url = reverse("versions:json", args=[demo_program.code, "1.0"])
    client.force_login(UserFactory())  # any signed-in user may read what was published
    response = client.get(url)
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document == version.document
    assert document["content"]["grundlag"]["title"] != "Omdøbt udkast"
    assert document["program"]["version"] == "1.0"
    assert client.get(reverse("versions:json", args=[demo_program.code, "².0"])).status_code == 404


def test_the_documented_example_fits_the_schema_and_imports(planner):
    from tests.conftest import ROOT

    raw = (ROOT / "fixtures" / "examples" / "program-document.example.json").read_bytes()
    program = exchange.import_document(user=planner, raw=raw, source="example")
    document = exchange.export_document(program)
    assert document["content"]["del-4-1"]["collaborating"] == ["a2"]
    assert document["content"]["implementering"]["start_date"] == "2027-09-01"
    assert program.actors.get(ref="a2").name == "Familiehuset Aalborg"
    # Fields of the pathway step and an actor's specialisation level come in too.
    assert program.actors.get(ref="a1").specialisation_level == "regionsfunktion"
    assert program.pathway_control_program.startswith("Årlig kontrol i børneafdelingen")


def test_export_command_writes_a_published_version_as_published(demo_program, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from tests.factories import published_version

    version = published_version(demo_program)
    target = tmp_path / "v1.json"
    call_command(
        "export_program",
        demo_program.code,
        "--program-version",
        "1.0",
        "-o",
        str(target),
        stdout=StringIO(),
    )
    assert json.loads(target.read_text(encoding="utf-8")) == version.document
    with pytest.raises(CommandError, match="no published version"):
        call_command(
            "export_program", demo_program.code, "--program-version", "9.9", "-o", str(target)
        )


# Everything a person types, as hostile as a form accepts it: markup, template and format
# syntax, quotes, non-Latin and astral characters, and (in multi-line fields) line ends.
HOSTILE_LINE = "<b>x</b> {{ y }} %(z)s ' \" & » ÆØÅ \U0001f600 \\n"
HOSTILE_TEXT = HOSTILE_LINE + "\nLinje 2\n\n\tLinje 4 "
# Fields holding a choice or an identifier, not typed text.
NOT_TYPED = {"region", "status", "relevance", "sector", "system", "code", "actor_type", "ref"}
NOT_TYPED |= {name for d in DEFINITIONS.values() for name in d.references}  # refs and keys
NOT_TYPED |= {"specialisation_level", "phase"}
SINGLE_LINE = {"title", "approving_body", "name", "organisation", "role", "unit", "label"}
SINGLE_LINE |= {"need"}
SINGLE_LINE |= {"contact_point", "visitation_entry", "delivered_from_2027_by"}


def _hostile(name: str, value):
    # A checklist item's responsible actor is a ref too (refers_to, not in `references`).
    refers = name.endswith("_responsible")
    if not isinstance(value, str) or name in NOT_TYPED or name.endswith("_date") or refers:
        return value
    single = name in SINGLE_LINE or name.endswith("_when")  # a checklist item's "when"
    return f"{HOSTILE_LINE} {name}" if single else f"{HOSTILE_TEXT}{name}"


def _every_text_hostile(document: dict) -> dict:
    document = copy.deepcopy(document)
    for step_doc in document["content"].values():
        for name, value in step_doc.items():
            if isinstance(value, list):
                for row in value:
                    if isinstance(row, dict):
                        row.update({k: _hostile(k, v) for k, v in row.items()})
            elif isinstance(value, dict):
                for answers in value.values():
                    answers.update({k: _hostile(k, v) for k, v in answers.items()})
            else:
                step_doc[name] = _hostile(name, value)
    return document


@pytest.mark.real_pdf
def test_a_program_full_of_hostile_text_round_trips_with_the_same_pdf_text(demo_program, planner):
    from pathways.pdf.render import draft_pdf
    from tests.pdf.pdf_text import page_texts

    hostile = _every_text_hostile(exchange.export_document(demo_program))
    first = exchange.import_document(user=planner, raw=json.dumps(hostile), source="a")
    exported = exchange.export_document(first)
    assert exported["content"]["grundlag"]["purpose"] == HOSTILE_TEXT + "purpose"
    second = exchange.import_document(user=planner, raw=exchange.dumps(exported), source="b")
    assert content(second) == exported["content"]

    def text(program: Program) -> str:
        return "\n".join(page_texts(draft_pdf(program))).replace(program.code, "CODE")

    assert text(second) == text(first)
    assert "{{ y }}" in text(first)  # printed as typed, not evaluated

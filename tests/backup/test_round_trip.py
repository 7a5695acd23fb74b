"""dump_programs → an empty database → restore_programs → dump_programs gives the same file."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from pathways.catalogue.models import CatalogueEntry
from pathways.derivation.models import Derivation
from pathways.programs.models import AuditEntry, Program, ProgramStatus
from pathways.review.models import Comment, PartyContact
from pathways.versions.models import ProgramVersion
from tests.backup.scenario import empty_the_database, review_and_publish

pytestmark = pytest.mark.django_db


def dump() -> dict:
    out = io.StringIO()
    call_command("dump_programs", stdout=out)
    return json.loads(out.getvalue())


def without_created(backup: dict) -> dict:
    return {k: v for k, v in backup.items() if k != "created"}


def restore_from(tmp_path, backup: dict) -> str:
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(backup, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("restore_programs", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def history(demo_program, party_contacts):
    return review_and_publish(demo_program)


def test_a_restored_database_dumps_exactly_as_the_original(history, tmp_path):
    first = dump()
    assert [p["status"] for p in first["programs"]].count(ProgramStatus.PUBLISHED) == 1
    published = next(p for p in first["programs"] if p["versions"])
    assert len(published["comments"]) == 3 and published["review_rounds"][0]["parties"]
    assert "password" not in json.dumps(first["users"])

    empty_the_database()
    printed = restore_from(tmp_path, first)

    assert without_created(dump()) == without_created(first)
    assert f"{history.program.code} " in printed and "3 programmer indlæst" in printed


def test_restored_rows_keep_their_moments_people_and_links(
    history, tmp_path, django_capture_on_commit_callbacks
):
    code = history.program.code
    published_at = history.published_at
    reviewer_comment = Comment.objects.select_related("resolved_by").get(
        body="Hvem følger op på PPR?"
    )
    first = dump()

    empty_the_database()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restore_from(tmp_path, first)

    assert not mail.outbox  # a restore tells nobody anything: nothing happened to them
    program = Program.objects.get(code=code)
    assert program.status == ProgramStatus.PUBLISHED
    version = ProgramVersion.objects.get(program=program)
    assert version.published_at == published_at
    assert bytes(version.pdf) == bytes(history.pdf)
    restored = Comment.objects.get(body="Hvem følger op på PPR?")
    assert restored.created_at == reviewer_comment.created_at
    assert restored.replies.get().body == "Kommunen gør."
    assert restored.resolved_by.username == reviewer_comment.resolved_by.username
    # The log names the comment by its new key, as the log page links it.
    added = AuditEntry.objects.get(
        program=program, action="comment_added", after__body=restored.body
    )
    assert added.after["comment"] == restored.pk
    assert CatalogueEntry.objects.get(program=program).number == "1.0"
    derivation = Derivation.objects.get(source_program=program)
    (decision,) = derivation.decisions.values()
    assert decision["user"] == derivation.created_by.pk
    assert PartyContact.objects.filter(organisation__name="Rebild Kommune").exists()
    # Accounts come back without a password: their owners set a new one.
    assert not any(u.has_usable_password() for u in get_user_model().objects.all())

"""What a restored program prints is what the original printed: the published version's
stored PDF and the draft PDF rendered anew from the restored rows."""

from __future__ import annotations

import pytest

from pathways.pdf.render import draft_pdf
from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion
from tests.backup.scenario import empty_the_database, review_and_publish
from tests.backup.test_round_trip import dump, restore_from
from tests.pdf.pdf_text import page_texts

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]


def test_the_published_and_the_draft_pdf_say_the_same_after_restore(
    demo_program, party_contacts, tmp_path
):
    version = review_and_publish(demo_program)
    code = demo_program.code
    derived = Program.objects.get(title="Afledt program")
    derived_code = derived.code
    published_text = page_texts(bytes(version.pdf))
    draft_texts = {p.code: page_texts(draft_pdf(p)) for p in (demo_program, derived)}
    assert any("Første udgave" in page for page in published_text)
    first = dump()

    empty_the_database()
    restore_from(tmp_path, first)

    restored_version = ProgramVersion.objects.get(program__code=code)
    assert page_texts(bytes(restored_version.pdf)) == published_text
    for program_code in (code, derived_code):
        program = Program.objects.get(code=program_code)
        assert page_texts(draft_pdf(program)) == draft_texts[program_code]

"""Two editors on one step: their saves merge field by field; only a field both changed is a
conflict, and resolving it touches nothing else."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from pathways.programs import services
from pathways.programs.data import load_program_data
from pathways.programs.merge import merge
from pathways.programs.models import AuditEntry, Program, StepRevision
from pathways.programs.steps import find_step
from tests.factories import ProgramFactory, UserFactory
from tests.programs.helpers import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(generic_model):
    anne, bo = UserFactory(username="anne"), UserFactory(username="bo")
    program = ProgramFactory(owner=anne)
    services.add_editor(program=program, user=anne, identifier="bo")
    return program, anne, bo


def _open(client, user, url) -> dict:
    client.force_login(user)
    return form_fields(client.get(url).content.decode())


def test_stale_saves_of_different_fields_keep_both_without_a_conflict_page(client, two_editors):
    program, anne, bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    annes_form, bos_form = _open(client, anne, url), _open(client, bo, url)

    client.force_login(anne)
    annes_form.update({"basis-approving_body": "Sundhedsrådet", "save": "1"})
    assert client.post(url, annes_form).status_code == 302

    client.force_login(bo)
    bos_form.update({"basis-purpose": "Bos formål", "save": "1"})
    response = client.post(url, bos_form, follow=True)
    assert response.redirect_chain, "a merge needs no conflict page"
    assert "bevaret" in response.content.decode()  # told that Anne's change was kept

    program.refresh_from_db()
    assert (program.approving_body, program.purpose) == ("Sundhedsrådet", "Bos formål")
    assert StepRevision.objects.get(program=program, step_key="grundlag").number == 2


def test_a_field_both_changed_is_a_conflict_and_deciding_it_touches_nothing_else(
    client, two_editors
):
    program, anne, bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    annes_form, bos_form = _open(client, anne, url), _open(client, bo, url)

    client.force_login(anne)
    annes_form.update(
        {"basis-approving_body": "Sundhedsrådet", "basis-purpose": "Annes formål", "save": "1"}
    )
    assert client.post(url, annes_form).status_code == 302

    client.force_login(bo)
    bos_form.update({"basis-purpose": "Bos formål", "save": "1"})
    response = client.post(url, bos_form)
    html = response.content.decode()
    assert response.status_code == 409
    assert "anne gemte trinnet" in html
    assert "Annes formål" in html and "Bos formål" in html
    # Only the disputed field is listed; Anne's other change is not offered for overwriting.
    start = html.index('id="conflict"')
    conflict = html[start : html.index("</form>", start)]
    assert 'name="decide:basis-purpose"' in conflict
    assert "decide:basis-approving_body" not in conflict
    program.refresh_from_db()
    assert program.purpose == "Annes formål"  # nothing written yet

    # The merged form already shows Anne's other change; Bo keeps his version of the purpose.
    chosen = form_fields(html)
    assert chosen["basis-approving_body"] == "Sundhedsrådet"
    chosen.update({"decide:basis-purpose": "mine", "save": "1"})
    assert client.post(url, chosen).status_code == 302
    program.refresh_from_db()
    assert (program.purpose, program.approving_body) == ("Bos formål", "Sundhedsrådet")


def test_choosing_the_saved_version_keeps_it_and_still_saves_my_other_fields(client, two_editors):
    program, anne, bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    annes_form, bos_form = _open(client, anne, url), _open(client, bo, url)
    client.force_login(anne)
    annes_form.update({"basis-purpose": "Annes formål", "save": "1"})
    client.post(url, annes_form)

    client.force_login(bo)
    bos_form.update({"basis-purpose": "Bos formål", "basis-approving_body": "Rådet", "save": "1"})
    chosen = form_fields(client.post(url, bos_form).content.decode())
    chosen.update({"decide:basis-purpose": "theirs", "save": "1"})
    assert client.post(url, chosen).status_code == 302
    program.refresh_from_db()
    assert (program.purpose, program.approving_body) == ("Annes formål", "Rådet")


def test_decisions_made_on_an_outdated_conflict_page_are_not_applied(client, two_editors):
    program, anne, bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    annes_form, bos_form = _open(client, anne, url), _open(client, bo, url)
    client.force_login(anne)
    client.post(url, {**annes_form, "basis-purpose": "Anne 1", "save": "1"})
    client.force_login(bo)
    conflict_page = form_fields(
        client.post(url, {**bos_form, "basis-purpose": "Bo", "save": "1"}).content.decode()
    )
    # Anne saves again while Bo decides: his decision was about "Anne 1", not "Anne 2".
    client.force_login(anne)
    client.post(url, {**_open(client, anne, url), "basis-purpose": "Anne 2", "save": "1"})
    client.force_login(bo)
    response = client.post(url, {**conflict_page, "decide:basis-purpose": "mine", "save": "1"})
    assert response.status_code == 409
    assert "Anne 2" in response.content.decode()
    assert Program.objects.get(pk=program.pk).purpose == "Anne 2"


def test_a_conflict_writes_nothing_not_even_an_audit_entry(two_editors):
    program, anne, bo = two_editors
    data = load_program_data(program)
    step = find_step(data.steps, "grundlag")
    services.save_step(
        program=program, user=bo, step=step, values={"basis-purpose": "Bo"}, loaded_revision=0
    )
    entries = AuditEntry.objects.count()
    with pytest.raises(services.StepConflict) as caught:
        services.save_step(
            program=program,
            user=anne,
            step=step,
            values={"basis-purpose": "Anne"},
            loaded_revision=0,
        )
    assert caught.value.saved_by == "bo"
    assert caught.value.conflicts == ["basis-purpose"]
    assert AuditEntry.objects.count() == entries
    assert Program.objects.get(pk=program.pk).purpose == "Bo"


def test_a_missing_or_tampered_revision_is_treated_as_stale(client, two_editors):
    program, anne, _bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    data = _open(client, anne, url)
    data.update({"revision": "not-a-number", "basis-purpose": "X", "save": "1"})
    assert client.post(url, data).status_code == 409
    assert Program.objects.get(pk=program.pk).purpose == ""


def test_merge_rules():
    base = {"a": "1", "b": "1", "c": "1", "d": "1"}
    theirs = {"a": "2", "b": "1", "c": "2", "d": "1"}
    mine = {"a": "1", "b": "3", "c": "3", "d": "1"}
    result = merge(base=base, theirs=theirs, mine=mine)
    assert result.values == {"a": "2", "b": "3", "c": "3", "d": "1"}
    assert result.conflicts == ["c"] and result.taken_from_theirs == ["a"]
    assert merge(base=base, theirs=theirs, mine=mine, decisions={"c": "theirs"}).values["c"] == "2"
    # No common ancestor: any difference is a conflict, never a silent overwrite.
    assert merge(base=None, theirs=theirs, mine=mine).conflicts == ["a", "b", "c"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_postgresql_let_exactly_one_win(generic_model):
    anne, bo = UserFactory(username="anne"), UserFactory(username="bo")
    program = ProgramFactory(owner=anne)
    services.add_editor(program=program, user=anne, identifier="bo")
    step = find_step(load_program_data(program).steps, "grundlag")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(user, purpose):
        try:
            barrier.wait()
            services.save_step(
                program=program,
                user=user,
                step=step,
                values={"basis-purpose": purpose},
                loaded_revision=0,
            )
            outcomes.append("saved")
        except services.StepConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u, u.username)) for u in (anne, bo)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Program.objects.get(pk=program.pk).purpose in ("anne", "bo")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_a_save_racing_a_submit_for_review_never_lands_after_it(demo_program, attempt):
    """The status is checked on the locked row: either the save lands before the program
    is sent for review, or it is refused — never an edit to a program in review."""
    from django.contrib.auth import get_user_model

    from pathways.programs.models import ProgramStatus
    from pathways.review import services as review

    planner = get_user_model().objects.get(username="planlaegger")
    co_editor = get_user_model().objects.get(username="medredaktoer")
    step = find_step(load_program_data(demo_program).steps, "grundlag")
    revision = StepRevision.objects.get(program=demo_program, step_key="grundlag").number
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save():
        try:
            barrier.wait()
            services.save_step(
                program=demo_program,
                user=co_editor,
                step=step,
                values={"basis-approving_body": "Sundhedsrådet"},
                loaded_revision=revision,
            )
            outcome["save"] = "saved"
        except services.NotEditable:
            outcome["save"] = "refused"
        finally:
            connection.close()

    def submit():
        try:
            barrier.wait()
            review.submit_for_review(program=demo_program, user=planner)
        finally:
            connection.close()

    threads = [threading.Thread(target=save), threading.Thread(target=submit)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    program = Program.objects.get(pk=demo_program.pk)
    assert program.status == ProgramStatus.IN_REVIEW
    saved = outcome["save"] == "saved"
    assert (program.approving_body == "Sundhedsrådet") == saved
    entries = list(
        AuditEntry.objects.filter(program=program, action__in=["step_saved", "status_changed"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    if saved:  # the edit came first, then the submission: never the other way round
        assert entries[-2:] == ["step_saved", "status_changed"]
    else:
        assert entries[-1] == "status_changed"


def test_a_row_added_by_one_editor_survives_a_stale_save_of_other_fields(client, two_editors):
    """The stale page posts the rows it showed; the list is unchanged from what it loaded,
    so the row added meanwhile is kept (no conflict, no error on the blank extra rows)."""
    program, anne, bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    annes_form, bos_form = _open(client, anne, url), _open(client, bo, url)
    client.force_login(anne)
    annes_form.update({"wg-0-name": "Eva Ny", "wg-0-sector": "region", "save": "1"})
    assert client.post(url, annes_form).status_code == 302
    client.force_login(bo)
    bos_form.update({"basis-purpose": "Bos formål", "save": "1"})
    assert client.post(url, bos_form).status_code == 302
    program.refresh_from_db()
    assert program.purpose == "Bos formål"
    assert list(program.working_group.values_list("name", flat=True)) == ["Eva Ny"]

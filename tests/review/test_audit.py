"""The audit: declared actions only, and a log page that shows labels and compact changes."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.programs import services as program_services
from pathways.programs.models import AuditAction, AuditEntry, Membership, Organisation, Role
from pathways.review import proposals, rounds, services
from pathways.review.audit_log import AUDIT_PAGE_SIZE, compact_word_diff
from pathways.review.models import PartyInvitation, ReviewRound, ReviewVerdict
from pathways.versions.services import publish_version
from tests.programs.helpers import post_step

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def member(program, role, username=None):
    memberships = Membership.objects.filter(program=program, role=role).select_related("user")
    if username:
        memberships = memberships.filter(user__username=username)
    return memberships.first().user


def log_url(program, page=None):
    url = reverse("review:audit", args=[program.code])
    return f"{url}?side={page}" if page is not None else url


def rows(html: str):
    return BeautifulSoup(html, "html.parser").select("#audit-table tbody tr")


# Declared actions --------------------------------------------------------------------------


def test_an_undeclared_action_is_refused_at_once(demo_program):
    editor = member(demo_program, Role.EDITOR)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValueError, match="Undeclared audit action 'nonsense'"):
        program_services.audit(program=demo_program, user=editor, action="nonsense")
    with pytest.raises(ValueError, match="Undeclared"):
        program_services.audit(program=demo_program, user=editor, action="Step_Saved")
    assert AuditEntry.objects.count() == entries


def test_every_workflow_writes_only_declared_actions_and_each_is_written(
    client, admin_client, demo_program
):
    """Creating, filling in (the demo is built through the services), inviting, leaving,
    the whole review round, comments, publishing, revising, and staff's membership changes
    in the admin: every entry they write carries a declared action, and every declared
    action is written by one of them."""
    program = demo_program
    editor = member(program, Role.EDITOR, "planlaegger")
    reviewer, approver = member(program, Role.REVIEWER), member(program, Role.APPROVER)
    reader = member(program, Role.READER)

    program_services.leave_program(program=program, user=reader)
    rounds.add_party_contact(
        program=program,
        user=editor,
        organisation_name="Brønderslev Kommune",
        name="Bo Hansen",
        email="bo@example.org",
    )
    first = services.submit_for_review(
        program=program,
        user=editor,
        organisations=[Organisation.objects.get(name="Brønderslev Kommune")],
    )
    invitation = PartyInvitation.objects.get(party__round=first)
    rounds.revoke_invitation(program=program, user=editor, invitation_id=invitation.pk)
    rounds.reissue_invitation(program=program, user=editor, invitation_id=invitation.pk)
    services.give_verdict(program=program, user=reviewer, verdict="object", note="Mangler PPR")
    comment = services.add_comment(
        program=program, user=reviewer, step_key="grundlag", body="En bemærkning"
    )
    field = "doc:purpose"
    accepted, declined = (
        services.add_comment(
            program=program,
            user=reviewer,
            step_key="grundlag",
            body="Skarpere formål",
            field_key=field,
            proposed_text=text,
        )
        for text in ("Et skarpere formål", "Et andet formål")
    )
    services.set_resolved(program=program, user=editor, comment=comment, resolved=True)
    services.set_resolved(program=program, user=editor, comment=comment, resolved=False)
    ReviewRound.objects.filter(pk=first.pk).update(deadline=datetime.date(2020, 1, 1))
    late = ReviewVerdict.objects.get(round=first, organisation__name="Brønderslev Kommune")
    rounds.admit_late_answer(program=program, user=editor, party_id=late.pk)
    rounds.close_round(program=program, user=editor)
    proposals.accept_proposal(program=program, user=editor, comment_id=accepted.pk)
    proposals.decline_proposal(
        program=program, user=editor, comment_id=declined.pk, reply="Vi holder det kort"
    )
    client.force_login(editor)
    post_step(
        client,
        reverse("programs:step", args=[program.code, "grundlag"]),
        {"basis-purpose": "Et nyt formål"},
    )
    services.submit_for_review(program=program, user=editor)
    services.request_changes(program=program, user=approver, note="Tilføj PPR")
    services.submit_for_review(program=program, user=editor)
    services.approve(program=program, user=approver, override_reason="Afklares i drift")
    publish_version(program=program, user=approver, major=True, change_note="1.0")
    services.start_revision(program=program, user=editor)

    # Staff in the admin: add a member, change the role, remove the membership.
    admin_client.post(
        reverse("admin:programs_membership_add"),
        {"program": program.pk, "user": reader.pk, "role": Role.READER, "_save": "1"},
    )
    added = Membership.objects.get(program=program, user=reader)
    admin_client.post(
        reverse("admin:programs_membership_change", args=[added.pk]),
        {"role": Role.EDITOR, "_save": "1"},
    )
    admin_client.post(reverse("admin:programs_membership_delete", args=[added.pk]), {"post": "yes"})

    written = set(AuditEntry.objects.filter(program=program).values_list("action", flat=True))
    assert written <= set(AuditAction.values)
    # program_imported is written by the import of a program file, tested with it; the two
    # of "Brug som udgangspunkt" by starting from another program (tests/derivation/);
    # feedback_received by a reader's feedback on the public page (tests/public/).
    assert written == set(AuditAction.values) - {
        AuditAction.FEEDBACK_RECEIVED,
        AuditAction.PROGRAM_IMPORTED,
        AuditAction.PROGRAM_DERIVED,
        AuditAction.LOCAL_ITEM_CONFIRMED,
    }


# The log page ------------------------------------------------------------------------------


def test_the_log_shows_action_labels_in_the_readers_language(client, demo_program):
    editor = member(demo_program, Role.EDITOR, "planlaegger")
    services.submit_for_review(program=demo_program, user=editor)
    program_services.audit(
        program=demo_program,
        user=editor,
        action=AuditAction.PROGRAM_IMPORTED,
        after={"source": "eksport.json", "code": "ABC234"},
    )
    client.force_login(editor)

    page = BeautifulSoup(client.get(log_url(demo_program)).content, "html.parser")
    text = page.select_one("#audit-table").get_text(" ")
    for label in ("Trin gemt", "Program oprettet", "Medlem tilføjet", "Status ændret"):
        assert label in text
    assert "Udkast → I høring" in text  # a short value: before → after, as its label
    assert "Program importeret" in text and "Kode i filen" in text
    assert "Høringspart" in text  # a member's role, as its label
    for code in ("step_saved", "program_created", "member_added", "status_changed"):
        assert code not in text  # codes only in the markup (data-action)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = BeautifulSoup(client.get(log_url(demo_program)).content, "html.parser")
    text = page.select_one("#audit-table").get_text(" ")
    for label in ("Step saved", "Programme created", "Member added", "Status changed"):
        assert label in text
    assert "Draft → In review" in text and "Code in the file" in text
    assert "Trin gemt" not in text and "Status ændret" not in text


def test_an_edited_long_text_is_one_compact_word_diff_not_two_copies(client, demo_program):
    editor = member(demo_program, Role.EDITOR, "planlaegger")
    client.force_login(editor)
    url = reverse("programs:step", args=[demo_program.code, "grundlag"])
    words = [f"ord{n}" for n in range(1, 81)]
    post_step(client, url, {"basis-purpose": " ".join(words)})
    edited = [*words[:39], "<b>NYT</b>", *words[40:]]  # ord40 replaced by hostile text
    post_step(client, url, {"basis-purpose": " ".join(edited)})

    html = client.get(log_url(demo_program)).content.decode()
    newest = rows(html)[0]
    assert newest["data-action"] == "step_saved"
    (diff,) = newest.select("dd.diff")
    assert [d.get_text() for d in diff.select("del")] == ["ord40"]
    assert [i.get_text() for i in diff.select("ins")] == ["<b>NYT</b>"]
    assert "&lt;b&gt;NYT&lt;/b&gt;" in str(diff) and "<b>" not in str(diff)
    text = diff.get_text()
    # A few words either side of the change; the unchanged rest is elided, not repeated.
    assert "ord39" in text and "ord41" in text
    assert "ord2 " not in text and "ord80" not in text
    assert text.count("…") == 2


def test_compact_diff_keeps_every_change_and_context_around_each():
    old = " ".join(f"w{n}" for n in range(100))
    new = old.replace("w10 ", "X10 ").replace("w90", "X90")
    html = str(compact_word_diff(old, new, context=3))
    assert "<del>w10</del><ins>X10</ins>" in html and "<del>w90</del><ins>X90</ins>" in html
    assert "w7 w8 w9 " in html and " w11 w12 w13" in html and "w50" not in html
    assert str(compact_word_diff("a b c", "a x c")) == "a <del>b</del><ins>x</ins> c"


def test_the_demo_log_stays_small_when_long_texts_are_edited_many_times(client, demo_program):
    """152 entries as in the issue: the demo's own, then many one-word edits of a long text.
    Two full copies per entry made such a log half a megabyte and more."""
    editor = member(demo_program, Role.EDITOR, "planlaegger")
    sentence = "Forældre tilbydes et kursus om at leve med et barn med sjælden sygdom. "
    text = sentence * 60  # about 4,300 characters
    existing = AuditEntry.objects.filter(program=demo_program).count()
    for n in range(152 - existing):
        edited = text.replace("kursus", f"kursus{n}", 1)
        program_services.audit(
            program=demo_program,
            user=editor,
            action=AuditAction.STEP_SAVED,
            step_key="grundlag",
            before={"Formål": text},
            after={"Formål": edited},
        )
        text = edited
    two_copies = sum(
        len(str(e.before)) + len(str(e.after))
        for e in AuditEntry.objects.filter(program=demo_program)
    )
    assert two_copies > 1_000_000  # what the page printed before

    client.force_login(editor)
    first, second = client.get(log_url(demo_program)), client.get(log_url(demo_program, 2))
    assert len(first.content) < 200_000 and len(second.content) < 200_000
    assert len(rows(first.content.decode())) == AUDIT_PAGE_SIZE
    assert len(rows(second.content.decode())) == 152 - AUDIT_PAGE_SIZE


def test_the_log_is_paged_and_any_page_number_is_answered(client, demo_program):
    editor = member(demo_program, Role.EDITOR, "planlaegger")
    total = AUDIT_PAGE_SIZE + 5
    added = total - AuditEntry.objects.filter(program=demo_program).count()
    for n in range(added):
        program_services.audit(
            program=demo_program,
            user=editor,
            action=AuditAction.COMMENT_ADDED,
            after={"body": f"note {n}"},
        )
    client.force_login(editor)
    first = client.get(log_url(demo_program)).content.decode()
    assert len(rows(first)) == AUDIT_PAGE_SIZE
    assert "side 1 af 2" in first and "?side=2" in first
    assert rows(first)[0].select_one("dd").get_text() == f"note {added - 1}"  # newest first
    last = client.get(log_url(demo_program, 2)).content.decode()
    assert len(rows(last)) == 5
    for bad in ("0", "999", "abc", "-1", "1.5"):
        response = client.get(log_url(demo_program, bad))
        assert response.status_code == 200
        assert len(rows(response.content.decode())) in (AUDIT_PAGE_SIZE, 5)


def test_a_member_who_left_is_shown_as_removed(client, demo_program):
    reader = member(demo_program, Role.READER)
    program_services.leave_program(program=demo_program, user=reader)
    client.force_login(member(demo_program, Role.EDITOR, "planlaegger"))
    newest = rows(client.get(log_url(demo_program)).content.decode())[0]
    assert newest["data-action"] == "member_left"
    assert "Medlem forlod programmet" in newest.get_text()
    assert reader.get_username() in [d.get_text() for d in newest.select("del")]


def test_the_log_page_needs_no_query_per_entry(client, demo_program, django_assert_max_num_queries):
    editor = member(demo_program, Role.EDITOR, "planlaegger")
    client.force_login(editor)
    client.get(log_url(demo_program))
    # The page loads the program once (data.py, a fixed number of queries) to label each
    # step save's fields; nothing more per entry.
    # (+5 since: a transition's two sides of actors, the group's own transitions and parts,
    # the reasons for departing from advice; +4: the companion references and the three
    # lists a part draws from them)
    with django_assert_max_num_queries(35):
        response = client.get(log_url(demo_program))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "language, label", [("da", "Godkendende organ"), ("en", "Approving body")], ids=str
)
def test_a_step_save_is_logged_per_field_and_read_in_either_language(
    client, demo_program, language, label
):
    """The entry records the changed field by its document path and raw value; the page
    labels it in the reader's language, so English shows exactly the one change."""
    from pathways.programs import services as program_services
    from pathways.programs.data import load_program_data
    from pathways.programs.models import StepRevision
    from pathways.programs.steps import find_step

    editor = member(demo_program, Role.EDITOR, "planlaegger")
    step = find_step(load_program_data(demo_program).steps, "grundlag")
    program_services.save_step(
        program=demo_program,
        user=editor,
        step=step,
        values={"basis-approving_body": "Sundhedsråd Aalborg"},
        loaded_revision=StepRevision.objects.get(program=demo_program, step_key="grundlag").number,
    )
    entry = AuditEntry.objects.filter(program=demo_program, action="step_saved").latest("pk")
    assert list(entry.after) == ["doc:approving_body"]
    assert entry.after["doc:approving_body"] == "Sundhedsråd Aalborg"
    client.force_login(editor)
    client.cookies["django_language"] = language
    html = client.get(log_url(demo_program)).content.decode()
    assert label in html and "doc:approving_body" not in html


def test_the_consultation_entries_read_as_labels_and_an_accepted_proposal_as_a_diff(
    client, demo_program
):
    """The round's own actions and their details are labelled in the reader's language (no
    codes or keys such as "proposed_text"); accepting a proposal shows the answer's change
    as a compact word diff, as a step save does."""
    program = demo_program
    editor = member(program, Role.EDITOR, "planlaegger")
    reviewer = member(program, Role.REVIEWER)
    rounds.add_party_contact(
        program=program,
        user=editor,
        organisation_name="Brønderslev Kommune",
        name="Bo Hansen",
        email="bo@example.org",
    )
    first = services.submit_for_review(
        program=program,
        user=editor,
        organisations=[Organisation.objects.get(name="Brønderslev Kommune")],
        deadline=datetime.date(2030, 5, 17),
    )
    invitation = PartyInvitation.objects.get(party__round=first)
    rounds.revoke_invitation(program=program, user=editor, invitation_id=invitation.pk)
    rounds.reissue_invitation(program=program, user=editor, invitation_id=invitation.pk)
    old = program.purpose
    words = old.split()
    proposed = " ".join([*words[:5], "SKARPERE", *words[6:]])
    assert len(proposed) > 160  # a long text: shown as a word diff
    accepted = services.add_comment(
        program=program,
        user=reviewer,
        step_key="grundlag",
        body="Skarpere formål",
        field_key="doc:purpose",
        proposed_text=proposed,
    )
    ReviewRound.objects.filter(pk=first.pk).update(deadline=datetime.date(2020, 1, 1))
    late = ReviewVerdict.objects.get(round=first, organisation__name="Brønderslev Kommune")
    rounds.admit_late_answer(program=program, user=editor, party_id=late.pk)
    rounds.close_round(program=program, user=editor)
    proposals.accept_proposal(program=program, user=editor, comment_id=accepted.pk)
    client.force_login(editor)

    page = BeautifulSoup(client.get(log_url(program)).content, "html.parser")
    text = page.select_one("#audit-table").get_text(" ")
    for label in (
        "Kontaktperson for høringspart tilføjet",
        "Svar efter fristen tilladt",
        "Personligt link tilbagekaldt",
        "Personligt link sendt igen",
        "Høringsrunde afsluttet",
        "Tekstforslag indarbejdet",
        "Forslag til ny tekst",
        "Høringsparter",
        "Svarfrist",
        "17. maj 2030",
        "Kan svare indtil",
        "Foreslået af",
        "Gælder svaret",
        "Trinnets revision",
        "E-mail",
    ):
        assert label in text, label
    for raw in ("proposed_text", "proposal_accepted", "party_contact_added", "doc:purpose"):
        assert raw not in text, raw
    assert "2030-05-17" not in text  # a date as dates are written
    keys = {"party", "parties", "by", "deadline", "field", "proposed_text", "until", "name"}
    keys |= {"email", "organisation", "revision", "comment", "round", "status"}
    labels = {dt.get_text(strip=True) for dt in page.select("#audit-table dt")}
    assert labels and not labels & keys
    (row,) = page.select('#audit-table tr[data-action="proposal_accepted"]')
    (diff,) = row.select("dd.diff")
    assert [i.get_text() for i in diff.select("ins")] == ["SKARPERE"]
    assert [d.get_text() for d in diff.select("del")] == [words[5]]
    assert "Formål" in row.get_text(" ")  # the answer's label, not its key

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = BeautifulSoup(client.get(log_url(program)).content, "html.parser").get_text(" ")
    for label in (
        "Consultation party contact added",
        "Late answer admitted",
        "Personal link revoked",
        "Personal link sent again",
        "Consultation round closed",
        "Proposed text accepted",
        "Proposed new text",
        "Consultation parties",
        "Deadline",
        "May answer until",
        "Proposed by",
        "Concerns the answer",
        "Step revision",
    ):
        assert label in text, label
    assert "Tekstforslag indarbejdet" not in text and "Svarfrist" not in text


def test_the_log_pages_take_the_same_queries_however_long_the_log(client, generic_model):
    from tests.factories import UserFactory, small_program

    editor = UserFactory()
    program = small_program(owner=editor)

    def note(count):
        for n in range(count):
            program_services.audit(
                program=program,
                user=editor,
                action=AuditAction.COMMENT_ADDED if n % 2 else AuditAction.MEMBER_LEFT,
                after={"body": f"note {n}"},
            )

    def last_page() -> int:
        return (AuditEntry.objects.filter(program=program).count() - 1) // AUDIT_PAGE_SIZE + 1

    note(2 * AUDIT_PAGE_SIZE + 3)
    client.force_login(editor)
    oldest = count_queries(client, log_url(program, last_page()))
    assert count_queries(client, log_url(program)) == count_queries(client, log_url(program, 2))
    note(3 * AUDIT_PAGE_SIZE)  # the oldest entries move three pages on, nothing else changes
    assert count_queries(client, log_url(program, last_page())) == oldest
    assert count_queries(client, log_url(program)) == count_queries(client, log_url(program, 2))

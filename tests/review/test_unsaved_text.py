"""A refused review post (verdict, approval, request for changes, comment, reply) redirects
back; the page it lands on shows the typed text again in the same field, once, and only on
that program's pages. A successful post leaves nothing to come back later."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pathways.programs.models import Membership, Organisation, Program, ProgramStatus, Role
from pathways.review import services
from pathways.review.models import Comment, ReviewRound, ReviewVerdict
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

# Over the 5,000-character limit of every review text: refused by the form, text intact.
TOO_LONG = "Høringsparten mangler PPR og kommunens sagsbehandler. " * 100


@pytest.fixture
def cast(demo_program):
    """The demo program in review, with its editor, reviewer and approver."""
    members = Membership.objects.filter(program=demo_program).exclude(user__username="medredaktoer")
    role = {m.role: m.user for m in members}
    editor, reviewer, approver = role[Role.EDITOR], role[Role.REVIEWER], role[Role.APPROVER]
    services.submit_for_review(program=demo_program, user=editor)
    return demo_program, editor, reviewer, approver


@pytest.fixture
def other(cast):
    """A second program in review where the same people hold the same roles, so each of
    its pages shows the same (empty) forms."""
    _program, editor, reviewer, approver = cast
    program = ProgramFactory(owner=editor)
    organisation = Organisation.objects.get(name="Aalborg Kommune")
    Membership.objects.create(
        program=program, user=reviewer, role=Role.REVIEWER, organisation=organisation
    )
    Membership.objects.create(program=program, user=approver, role=Role.APPROVER)
    review_round = ReviewRound.objects.create(program=program, number=1, opened_by=editor)
    ReviewVerdict.objects.create(round=review_round, reviewer=reviewer, organisation=organisation)
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.IN_REVIEW)
    return program


def detail(program) -> str:
    return reverse("programs:detail", args=[program.code])


def step_page(program, step_key="grundlag") -> str:
    return reverse("programs:step", args=[program.code, step_key])


def field(html: str, field_id: str) -> str:
    """The text a field shows; fails if the page has no such field."""
    element = BeautifulSoup(html, "html.parser").find(id=field_id)
    assert element is not None, f"no #{field_id} on the page"
    return element.text.removeprefix("\n")  # a browser drops a textarea's first line end


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def post(client, url: str, data: dict) -> str:
    """Post as the browser does and return the page the redirect lands on."""
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, "a refused post redirects back"
    return response.content.decode()


def assert_kept_once_and_only_here(client, own: str, other: str, field_id: str) -> None:
    """The other program's page shows the field empty (and does not use up the text); the
    program's own page, seen again, no longer repeats it."""
    assert field(page(client, other), field_id) == ""
    assert TOO_LONG not in page(client, other)
    assert field(page(client, own), field_id) == TOO_LONG
    assert field(page(client, own), field_id) == ""


@pytest.mark.parametrize(
    ("url_name", "field_id"),
    [("review:approve", "approve-note"), ("review:request_changes", "changes-note")],
)
def test_a_refused_decision_shows_its_note_again(client, cast, other, url_name, field_id):
    program, _editor, _reviewer, approver = cast
    client.force_login(approver)
    html = post(client, reverse(url_name, args=[program.code]), {"note": TOO_LONG})
    assert "Intet er ændret" in html
    assert field(html, field_id) == TOO_LONG
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.IN_REVIEW

    client.post(reverse(url_name, args=[program.code]), {"note": TOO_LONG})  # not followed
    assert_kept_once_and_only_here(client, detail(program), detail(other), field_id)


def test_a_verdict_without_a_choice_keeps_the_note(client, cast, other):
    program, _editor, reviewer, _approver = cast
    client.force_login(reviewer)
    note = "Vi mangler en beskrivelse af PPR's rolle."
    html = post(client, reverse("review:verdict", args=[program.code]), {"note": note})
    assert "Vælg enig, enig med bemærkninger eller indsigelse." in html
    assert field(html, "verdict-note") == note
    assert field(page(client, detail(other)), "verdict-note") == ""


def test_a_too_long_verdict_note_keeps_note_and_choice(client, cast, other):
    program, _editor, reviewer, _approver = cast
    client.force_login(reviewer)
    url = reverse("review:verdict", args=[program.code])
    html = post(client, url, {"verdict": "object", "note": TOO_LONG})
    assert "Høringssvaret er ikke gemt" in html
    assert field(html, "verdict-note") == TOO_LONG
    chosen = BeautifulSoup(html, "html.parser").select('input[name="verdict"][checked]')
    assert [radio["value"] for radio in chosen] == ["object"]
    assert not ReviewVerdict.objects.filter(round__program=program).exclude(verdict="").exists()

    client.post(url, {"verdict": "object", "note": TOO_LONG})
    assert_kept_once_and_only_here(client, detail(program), detail(other), "verdict-note")


def test_a_refused_comment_keeps_its_text_and_attention_point(client, cast, other):
    program, _editor, reviewer, _approver = cast
    point = program.model_version.sections.get(number="4.8").attention_points.last()
    client.force_login(reviewer)
    url = reverse("review:comment_add", args=[program.code, "del-4-8"])
    html = post(client, url, {"target": point.pk, "body": TOO_LONG})
    assert "Kommentaren er ikke gemt" in html
    assert field(html, "id_body") == TOO_LONG
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#id_target option[selected]")["value"] == str(point.pk)
    assert "højst 5000" in soup.select_one("#new-comment").text  # the reason, at the field
    assert not Comment.objects.exists()

    client.post(url, {"target": point.pk, "body": TOO_LONG})
    assert field(page(client, step_page(program, "grundlag")), "id_body") == ""  # other step
    assert_kept_once_and_only_here(
        client, step_page(program, "del-4-8"), step_page(other, "del-4-8"), "id_body"
    )


def test_a_refused_reply_comes_back_under_its_comment(client, cast, other):
    program, editor, reviewer, _approver = cast
    first = services.add_comment(program=program, user=reviewer, step_key="grundlag", body="A")
    second = services.add_comment(program=program, user=reviewer, step_key="grundlag", body="B")
    theirs = services.add_comment(program=other, user=reviewer, step_key="grundlag", body="C")
    client.force_login(editor)
    url = reverse("review:comment_reply", args=[program.code, second.pk])
    html = post(client, url, {"body": TOO_LONG})
    assert "Svaret er ikke gemt" in html
    assert field(html, f"reply-{second.pk}") == TOO_LONG
    assert field(html, f"reply-{first.pk}") == ""
    assert second.replies.count() == 0

    client.post(url, {"body": TOO_LONG})
    assert field(page(client, step_page(other)), f"reply-{theirs.pk}") == ""
    assert field(page(client, step_page(program)), f"reply-{second.pk}") == TOO_LONG


def test_a_successful_post_leaves_no_stale_text(client, cast):
    program, editor, reviewer, approver = cast
    client.force_login(reviewer)
    verdict_url = reverse("review:verdict", args=[program.code])
    client.post(verdict_url, {"verdict": "object", "note": TOO_LONG})  # refused, not shown
    client.post(verdict_url, {"verdict": "agree", "note": "Fint"})
    assert field(page(client, detail(program)), "verdict-note") == "Fint"

    comment_url = reverse("review:comment_add", args=[program.code, "grundlag"])
    client.post(comment_url, {"body": TOO_LONG})
    client.post(comment_url, {"body": "Kort og godt"})
    assert field(page(client, step_page(program)), "id_body") == ""

    parent = Comment.objects.get()
    client.force_login(editor)
    reply_url = reverse("review:comment_reply", args=[program.code, parent.pk])
    client.post(reply_url, {"body": TOO_LONG})
    client.post(reply_url, {"body": "Rettet"})
    assert field(page(client, step_page(program)), f"reply-{parent.pk}") == ""

    client.force_login(approver)
    approve_url = reverse("review:approve", args=[program.code])
    client.post(approve_url, {"note": TOO_LONG})
    client.post(approve_url, {"note": "Kommentaren er besvaret"})
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.APPROVED
    assert TOO_LONG not in page(client, detail(program))  # neither in a field nor a notice


def test_a_note_whose_form_is_gone_is_shown_to_copy(client, cast):
    """The approver closed the round while the reviewer typed: the verdict is refused and its
    form is no longer on the page, so the note is shown read-only rather than dropped."""
    program, _editor, reviewer, approver = cast
    services.approve(program=program, user=approver)
    client.force_login(reviewer)
    note = "Vi mangler en beskrivelse af PPR's rolle."
    html = post(
        client, reverse("review:verdict", args=[program.code]), {"verdict": "agree", "note": note}
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#verdict-form") is None
    assert soup.select_one("#unsaved-text textarea[readonly]").text == note
    assert "unsaved-text" not in page(client, detail(program))


def test_the_approver_sees_what_needs_a_reason_before_approving(client, cast):
    program, _editor, reviewer, approver = cast
    client.force_login(approver)
    html = page(client, detail(program))
    assert "påkrævet ved åbne kommentarer, indsigelser eller kommentarer løst af andre" in html
    conditions = BeautifulSoup(html, "html.parser").select_one("#approval-conditions")
    assert "Intet af det gælder nu" in conditions.text

    services.give_verdict(program=program, user=reviewer, verdict="object", note="Mangler PPR")
    services.add_comment(program=program, user=reviewer, step_key="grundlag", body="Hvem?")
    resolved = services.add_comment(program=program, user=reviewer, step_key="grundlag", body="x")
    services.set_resolved(program=program, user=approver, comment=resolved, resolved=True)
    soup = BeautifulSoup(page(client, detail(program)), "html.parser")
    items = [li.text for li in soup.select("#approval-conditions li")]
    assert items == list(services.approval_conditions(program).values())
    assert len(items) == 3
    assert "1 kommentar er ikke løst." in items
    assert any(reviewer.get_full_name() in item and "indsigelse" in item for item in items)
    # ... and above the button that needs it
    approve_form = soup.select_one("#approve-note").find_parent("form")
    assert approve_form.select_one("#approval-conditions") is not None

    client.force_login(reviewer)  # only the approver decides, so only they see the list
    assert 'id="approval-conditions"' not in page(client, detail(program))

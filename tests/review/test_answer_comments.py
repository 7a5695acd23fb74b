"""Comments beside every answer on the reading views, their counts, and proposed text that an
editor accepts with one click (an audited save of that field) or declines with a reply."""

from __future__ import annotations

import datetime
from collections import Counter
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pathways.programs.data import load_program_data
from pathways.programs.document import flatten, path_key, program_document
from pathways.programs.models import AuditAction, AuditEntry, Membership, ProgramStatus, Role
from pathways.programs.readable import step_fields
from pathways.programs.steps import find_step
from pathways.review import rounds, services
from pathways.review.models import Comment, ProposalState, ReviewRound
from pathways.review.templatetags.consultation import answer_anchor
from tests.factories import ProgramFactory, UserFactory, small_program
from tests.programs.test_query_counts import REVIEW_BUDGET

pytestmark = pytest.mark.django_db

STEP = "grundlag"


def member(program, role):
    return Membership.objects.filter(program=program, role=role).first().user


def review_url(program):
    return reverse("programs:review", args=[program.code])


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_answer(program, step_key=STEP, *, formatted=True):
    """A typed answer of the step (one a comment may propose new text for)."""
    data = load_program_data(program)
    step = find_step(data.steps, step_key)
    items = step_fields(step, data, program_document(data))
    return next(i for i in items if i.takes_text and i.text and i.formatted == formatted)


def stored(program, step_key, path):
    fresh = type(program).objects.get(pk=program.pk)  # no answers cached on the instance
    document = program_document(load_program_data(fresh))
    return flatten(document["content"][step_key])[path]


def answer_box(soup, key):
    (box,) = soup.select(f'.review-item[data-field="{key}"]')
    return box


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def comment_with_proposal(client, program, reviewer, item, text="Ny, bedre tekst."):
    client.force_login(reviewer)
    response = client.post(
        reverse("review:comment_add", args=[program.code, STEP]),
        {
            "field": path_key(item.path),
            "body": "Skriv det mere præcist.",
            "proposed_text": text,
            "back": "review",
        },
    )
    comment = Comment.objects.get(field_key=path_key(item.path))
    assert response.url == review_url(program) + f"#comment-{comment.pk}"
    return comment


def in_review(program):
    return services.submit_for_review(program=program, user=member(program, Role.EDITOR))


def close_the_round(program):
    ReviewRound.objects.filter(program=program).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    rounds.close_round(program=program, user=member(program, Role.EDITOR))
    program.refresh_from_db()
    assert program.status == ProgramStatus.CHANGES_REQUESTED


# The review screen: a comment button beside every answer, edit links for editors only -------


def test_a_reviewer_sees_a_comment_button_beside_every_answer_and_no_edit_links(
    client, demo_program
):
    client.force_login(member(demo_program, Role.REVIEWER))
    soup = soup_of(client.get(review_url(demo_program)))
    answers = soup.select("#review-steps .review-item")
    assert len(answers) > 100
    for box in answers:
        label = box.find("dt").get_text(" ", strip=True)
        (fold,) = box.select("details.answer-comment")
        # The button's accessible name says which answer it is about.
        assert label in fold.find("summary").get_text(" ", strip=True)
        assert box.select_one('input[name="field"]')["value"] == box["data-field"]
        assert label in fold.find("button").get_text(" ", strip=True)
    assert not soup.select("a.edit-link")
    assert "Redigér" not in soup.get_text()
    assert not soup.select("#submit-for-review")


@pytest.mark.parametrize("role", [Role.READER, Role.APPROVER])
def test_readers_and_approvers_see_no_edit_links(client, demo_program, role):
    client.force_login(member(demo_program, role))
    soup = soup_of(client.get(review_url(demo_program)))
    assert not soup.select("a.edit-link") and "Redigér" not in soup.get_text()
    # A reader may not comment; an approver may.
    assert bool(soup.select("details.answer-comment")) == (role == Role.APPROVER)


def test_an_editor_sees_edit_links_while_the_program_can_be_edited(client, demo_program):
    client.force_login(member(demo_program, Role.EDITOR))
    soup = soup_of(client.get(review_url(demo_program)))
    answers = soup.select("#review-steps .review-item")
    assert len(soup.select("#review-steps .review-item a.edit-link")) == len(answers)
    in_review(demo_program)
    soup = soup_of(client.get(review_url(demo_program)))
    assert not soup.select("a.edit-link")  # the step pages are read-only now


def _ids(client, url):
    soup = soup_of(client.get(url))
    return Counter(tag["id"] for tag in soup.find_all(id=True)), soup


@pytest.mark.parametrize(
    "program_kind, who",
    [
        ("unfinished", "reviewer"),
        ("unfinished", "editor"),
        ("unfinished", "reader"),
        ("complete", "editor"),
        ("complete", "editor in review"),
    ],
)
def test_every_anchor_on_the_review_screen_lands_on_an_id_that_exists(
    client, demo_program, program_kind, who
):
    """Gaps, advice and "Redigér" link into the step pages: the step form for an editor
    while it can be edited, the reading view otherwise, which has other ids."""
    program = demo_program
    if program_kind == "unfinished":  # gaps and advice in most steps
        program = small_program(owner=member(demo_program, Role.EDITOR))
        for role in (Role.REVIEWER, Role.READER):
            Membership.objects.create(program=program, user=UserFactory(), role=role)
    if who == "editor in review":
        in_review(program)
    role = {"reviewer": Role.REVIEWER, "reader": Role.READER}.get(who, Role.EDITOR)
    client.force_login(member(program, role))
    own_url = review_url(program)
    own_ids, soup = _ids(client, own_url)
    assert [i for i, n in own_ids.items() if n > 1] == []  # no duplicate ids
    targets: dict[str, set[str]] = {}
    for link in soup.find_all("a", href=True):
        parts = urlsplit(link["href"])
        if parts.fragment:
            targets.setdefault(parts.path or own_url, set()).add(parts.fragment)
    if program_kind == "unfinished" or who == "editor":
        assert len(targets) > 5
    missing = []
    for path, fragments in targets.items():
        ids = own_ids if path == own_url else _ids(client, path)[0]
        missing += [f"{path}#{f}" for f in sorted(fragments) if f not in ids]
    assert not missing, "\n".join(missing)


# Commenting on one answer: the thread beside it, and the counts -------------------------------


def test_a_comment_with_proposed_text_shows_beside_its_answer_and_is_counted(client, demo_program):
    reviewer = member(demo_program, Role.REVIEWER)
    item = text_answer(demo_program)
    key = path_key(item.path)
    comment = comment_with_proposal(client, demo_program, reviewer, item)
    assert comment.proposal_state == ProposalState.OPEN and comment.author == reviewer

    soup = soup_of(client.get(review_url(demo_program)))
    box = answer_box(soup, key)
    thread = box.select_one(f"#comment-{comment.pk}")
    assert thread is not None and "Ny, bedre tekst." in thread.get_text()
    assert "afventer redaktøren" in thread.select_one(".proposal-state").get_text()
    assert box.select_one(".comment-count").get_text(strip=True) == "1 kommentar"
    assert len(soup.select("#review-steps .review-item .comment-count")) == 1  # only there
    summary = soup.select_one(f"#review-{STEP} > summary .comment-count").get_text(" ", strip=True)
    assert summary == "1 kommentar (1 åben)"
    assert not soup.select(f"#review-{STEP}-comments")  # no whole-step comments
    menu = soup.select_one(f'.side-menu a[href$="/trin/{STEP}/"] .comment-count')
    assert menu.get_text(strip=True) == "1 åben kommentar"
    # A reviewer decides nothing about the proposal.
    assert not thread.select(".proposal-actions")

    # The step's reading view: beside the answer, not at the bottom.
    page = soup_of(client.get(reverse("programs:step", args=[demo_program.code, STEP])))
    assert answer_box(page, key).select_one(f"#comment-{comment.pk}") is not None
    assert not page.select_one("#comments").select(f"#comment-{comment.pk}")


def test_while_in_review_the_editor_is_told_when_the_proposal_can_be_accepted(client, demo_program):
    in_review(demo_program)
    item = text_answer(demo_program)
    comment = comment_with_proposal(client, demo_program, member(demo_program, Role.REVIEWER), item)
    editor = member(demo_program, Role.EDITOR)
    client.force_login(editor)
    soup = soup_of(client.get(review_url(demo_program)))
    actions = soup.select_one(f"#comment-{comment.pk} .proposal-actions")
    assert "Kan indarbejdes, når høringsrunden er afsluttet" in actions.get_text()
    assert not actions.select(".proposal-accept")
    # A post anyway is refused with the service's reason; the answer stays.
    response = client.post(
        reverse("review:proposal_accept", args=[demo_program.code, comment.pk]), follow=True
    )
    assert any("status" in m for m in messages_of(response))
    assert stored(demo_program, STEP, item.path) != "Ny, bedre tekst."
    comment.refresh_from_db()
    assert comment.proposal_state == ProposalState.OPEN


def test_the_editor_accepts_after_the_round_is_closed(client, demo_program):
    in_review(demo_program)
    item = text_answer(demo_program)
    reviewer = member(demo_program, Role.REVIEWER)
    comment = comment_with_proposal(client, demo_program, reviewer, item, "Den *nye* tekst.")
    close_the_round(demo_program)

    editor = member(demo_program, Role.EDITOR)
    client.force_login(editor)
    soup = soup_of(client.get(review_url(demo_program)))
    accept = soup.select_one(f"#comment-{comment.pk} .proposal-accept")
    assert item.label in accept.get_text(" ", strip=True)  # names the answer
    before = AuditEntry.objects.filter(program=demo_program).count()
    response = client.post(reverse("review:proposal_accept", args=[demo_program.code, comment.pk]))
    assert messages_of(response) == ["Forslaget er indarbejdet i svaret."]
    assert response.url.endswith(f"/trin/{STEP}/#comment-{comment.pk}")
    assert stored(demo_program, STEP, item.path) == "Den *nye* tekst."
    comment.refresh_from_db()
    assert comment.proposal_state == ProposalState.ACCEPTED and not comment.is_open
    new = AuditEntry.objects.filter(program=demo_program).order_by("pk")[before:]
    actions = [e.action for e in new]
    assert AuditAction.STEP_SAVED in actions and AuditAction.PROPOSAL_ACCEPTED in actions
    saved = next(e for e in new if e.action == AuditAction.STEP_SAVED)
    assert saved.user == editor and saved.step_key == STEP
    assert "Den *nye* tekst." in str(saved.after)
    accepted = next(e for e in new if e.action == AuditAction.PROPOSAL_ACCEPTED)
    assert accepted.after["comment"] == comment.pk and accepted.after["by"] == comment.author_name

    # The answer shows the new text; the thread is resolved and folded, with the state.
    soup = soup_of(client.get(review_url(demo_program)))
    box = answer_box(soup, path_key(item.path))
    assert box.find("dd").select_one(".formatted-text em").get_text() == "nye"
    fold = box.select_one("details.resolved-thread")
    assert fold is not None and fold.select_one(f"#comment-{comment.pk}") is not None
    assert "indarbejdet" in fold.select_one(".proposal-state").get_text()
    assert not fold.select(".proposal-actions")
    assert not box.select(f"details.resolved-thread ~ #comment-{comment.pk}")


def test_declining_needs_a_reply_and_keeps_the_answer(client, demo_program):
    item = text_answer(demo_program)
    before = stored(demo_program, STEP, item.path)
    comment = comment_with_proposal(client, demo_program, member(demo_program, Role.REVIEWER), item)
    client.force_login(member(demo_program, Role.EDITOR))
    url = reverse("review:proposal_decline", args=[demo_program.code, comment.pk])

    response = client.post(url, {"reply": "  "}, follow=True)
    assert any("skriv et svar" in m for m in messages_of(response))
    comment.refresh_from_db()
    assert comment.proposal_state == ProposalState.OPEN and not comment.replies.exists()

    too_long = "x" * 5001
    response = client.post(url, {"reply": too_long}, follow=True)
    assert any("Forslaget er ikke afvist" in m for m in messages_of(response))
    page = soup_of(response)  # the reply comes back in its box, the fold open
    assert page.select_one(f"#decline-{comment.pk}").get_text() == too_long
    assert page.select_one(f"#comment-{comment.pk} details.proposal-decline").has_attr("open")

    response = client.post(url, {"reply": "Teksten er allerede præcis."})
    assert response.url.endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.proposal_state == ProposalState.DECLINED
    assert comment.replies.get().body == "Teksten er allerede præcis."
    assert stored(demo_program, STEP, item.path) == before
    assert AuditEntry.objects.filter(
        program=demo_program, action=AuditAction.PROPOSAL_DECLINED
    ).exists()


def test_a_reviewer_cannot_accept_or_decline(client, demo_program):
    item = text_answer(demo_program)
    reviewer = member(demo_program, Role.REVIEWER)
    comment = comment_with_proposal(client, demo_program, reviewer, item)
    for name in ("proposal_accept", "proposal_decline"):
        response = client.post(
            reverse(f"review:{name}", args=[demo_program.code, comment.pk]), {"reply": "Nej."}
        )
        assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.proposal_state == ProposalState.OPEN


def test_another_programs_comment_is_404(client, demo_program):
    owner = UserFactory()
    other = ProgramFactory(owner=owner)
    foreign = Comment.objects.create(
        program=other,
        step_key=STEP,
        author=owner,
        body="x",
        field_key="doc:purpose",
        proposed_text="y",
        proposal_state=ProposalState.OPEN,
    )
    client.force_login(member(demo_program, Role.EDITOR))
    for name in ("proposal_accept", "proposal_decline"):
        url = reverse(f"review:{name}", args=[demo_program.code, foreign.pk])
        assert client.post(url, {"reply": "Nej."}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.proposal_state == ProposalState.OPEN


# Refused comments: a specific message, and the text comes back where it was typed ----------


def test_a_refused_answer_comment_comes_back_in_its_form(client, demo_program):
    reviewer = member(demo_program, Role.REVIEWER)
    item = text_answer(demo_program)
    key = path_key(item.path)
    client.force_login(reviewer)
    url = reverse("review:comment_add", args=[demo_program.code, STEP])
    body = "b" * 5001
    response = client.post(
        url, {"field": key, "body": body, "proposed_text": "Mit forslag", "back": "review"}
    )
    anchor = answer_anchor(STEP, key)
    assert response.url == review_url(demo_program) + f"#{anchor}"
    assert not Comment.objects.exists()
    landed = client.get(response.url)
    assert any("Kommentar: Teksten er 5001 tegn" in m for m in messages_of(landed))
    fold = soup_of(landed).find(id=anchor)
    assert fold.has_attr("open")
    assert fold.select_one("textarea[name=body]").get_text() == body
    assert fold.select_one("textarea[name=proposed_text]").get_text() == "Mit forslag"
    # Shown once: the next visit has an empty form again.
    again = soup_of(client.get(review_url(demo_program))).find(id=anchor)
    assert not again.has_attr("open") and again.select_one("textarea[name=body]").get_text() == ""


def test_refusals_say_what_was_wrong(client, demo_program):
    client.force_login(member(demo_program, Role.REVIEWER))
    url = reverse("review:comment_add", args=[demo_program.code, STEP])
    key = path_key(text_answer(demo_program).path)
    cases = [
        ({"field": key, "body": ""}, "skriv en kommentar"),
        ({"field": key, "body": "b" * 5001}, "5001 tegn"),
        ({"field": key, "body": "ok", "proposed_text": "p" * 20001}, "20001 tegn"),
        ({"field": "doc:nothing-here", "body": "ok"}, "Svaret findes ikke i dette trin."),
    ]
    data = load_program_data(demo_program)
    step = find_step(data.steps, "aktoerer")
    choice = next(
        i for i in step_fields(step, data, program_document(data)) if not i.takes_text and i.text
    )
    cases.append(
        (
            {"field": path_key(choice.path), "body": "ok", "proposed_text": "x"},
            "Der kan kun foreslås ny tekst til et tekstfelt.",
        )
    )
    for posted, reason in cases:
        step_key = "aktoerer" if posted["field"] == path_key(choice.path) else STEP
        post_url = reverse("review:comment_add", args=[demo_program.code, step_key])
        response = client.post(post_url if step_key != STEP else url, posted, follow=True)
        shown = messages_of(response)
        assert any(m.startswith("Kommentaren er ikke gemt") and reason in m for m in shown), (
            posted,
            shown,
        )
    assert not Comment.objects.exists()


def test_the_step_form_of_an_editor_shows_answer_comments_at_the_bottom(client, demo_program):
    """On the step form (no answers to sit beside) the thread names its answer, and the
    editor accepts the proposal there."""
    item = text_answer(demo_program)
    comment = comment_with_proposal(client, demo_program, member(demo_program, Role.REVIEWER), item)
    client.force_login(member(demo_program, Role.EDITOR))
    page = soup_of(client.get(reverse("programs:step", args=[demo_program.code, STEP])))
    thread = page.select_one(f"#comments #comment-{comment.pk}")
    assert f"om svaret {item.label}" in thread.get_text(" ", strip=True)
    assert thread.select_one(".proposal-accept") is not None


# English, and the query budget --------------------------------------------------------------


def test_the_english_ui_shows_the_english_strings(client, demo_program):
    in_review(demo_program)
    item = text_answer(demo_program)
    comment = comment_with_proposal(client, demo_program, member(demo_program, Role.REVIEWER), item)
    client.force_login(member(demo_program, Role.EDITOR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    soup = soup_of(client.get(review_url(demo_program)))
    thread = soup.select_one(f"#comment-{comment.pk}")
    text = thread.get_text(" ", strip=True)
    assert "Can be incorporated when the consultation round is over" in text
    assert "Decline with a reply" in text and "awaiting the editor" in text
    summary = soup.select_one(f"#review-{STEP} > summary .comment-count").get_text(" ", strip=True)
    assert summary == "1 comment (1 open)"
    box = answer_box(soup, path_key(item.path))
    assert box.select_one(".comment-count").get_text(strip=True) == "1 comment"
    assert "Comment" in box.select_one("details.answer-comment > summary").get_text()
    for danish in ("Kan indarbejdes", "Afvis med svar", "Kommentér", "kommentar"):
        assert danish not in soup.select_one("#review-steps").get_text()

    close_the_round(demo_program)
    soup = soup_of(client.get(review_url(demo_program)))
    accept = soup.select_one(f"#comment-{comment.pk} .proposal-accept").get_text(" ", strip=True)
    assert accept.startswith("Incorporate the proposal")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_review_screen_reads_the_comments_once(client, demo_program):
    reviewer = member(demo_program, Role.REVIEWER)
    editor = member(demo_program, Role.EDITOR)
    item = text_answer(demo_program)
    first = comment_with_proposal(client, demo_program, reviewer, item)
    Comment.objects.create(
        program=demo_program, step_key=STEP, author=editor, body="Svar", parent=first
    )
    client.force_login(editor)
    one = _queries(client, review_url(demo_program))
    for step_key in ("maalgruppe", "aktoerer", "del-4-4", "implementering"):
        thread = Comment.objects.create(
            program=demo_program, step_key=step_key, author=reviewer, body="Hele trinnet?"
        )
        Comment.objects.create(
            program=demo_program, step_key=step_key, author=editor, body="Ja.", parent=thread
        )
    many = _queries(client, review_url(demo_program))
    assert many == one <= REVIEW_BUDGET + 3  # the comments, their replies, the repliers

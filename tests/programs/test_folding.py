"""Short step pages: every attention point, transition and block of a part folds to one
line with its status (besvaret / ikke relevant / mangler), a block with a field error opens,
the actor lists are grouped by sector with the ids they always had, and the review screen
is one line per step."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from pathways.programs.data import load_program_data
from pathways.programs.folding import FoldStatus, point_status
from pathways.programs.models import AttentionPointAnswer, PointStatus, TransitionAnswer
from pathways.programs.page_cache import content_changed
from pathways.programs.step_kinds.points import PointAnswerForm
from pathways.programs.steps import find_step
from tests.programs.helpers import form_fields

pytestmark = pytest.mark.django_db

STEP = "del-4-4"


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ({}, FoldStatus.MISSING),
        ({"status": "addressed"}, FoldStatus.MISSING),  # a status without the answer
        ({"answer": "Aftalt"}, FoldStatus.MISSING),  # an answer without a status
        ({"status": "addressed", "answer": "Aftalt"}, FoldStatus.ANSWERED),
        ({"status": "adapted", "answer": "Lokalt tilpasset"}, FoldStatus.ANSWERED),
        ({"status": "addressed", "answer": "  \n "}, FoldStatus.MISSING),  # blank is not said
        ({"status": "not_relevant"}, FoldStatus.MISSING),  # not relevant needs a reason
        ({"status": "not_relevant", "reason": "Ingen børn"}, FoldStatus.NOT_RELEVANT),
    ],
)
def test_the_status_line_of_a_point_follows_what_is_posted(posted, expected):
    form = PointAnswerForm({f"p-{k}": v for k, v in posted.items()}, prefix="p", actor_choices=[])
    assert point_status(form) == expected
    unbound = PointAnswerForm(prefix="p", initial=posted, actor_choices=[])
    assert point_status(unbound) == expected  # the stored answer folds the same way


def _step_page(client, program, language="da", step=STEP):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("programs:step", args=[program.code, step])).content.decode()
    return BeautifulSoup(html, "html.parser")


def _fold_of(soup, element_id):
    return soup.find(id=element_id).find_parent("details")


def _status_line(soup, element_id) -> str:
    return _fold_of(soup, element_id).summary.select_one(".fold-status").get_text(strip=True)


@pytest.mark.parametrize(
    ("language", "answered", "not_relevant", "missing"),
    [("da", "besvaret", "ikke relevant", "mangler"), ("en", "answered", "not relevant", "missing")],
)
def test_each_point_folds_to_one_line_with_its_status(
    client, demo_program, language, answered, not_relevant, missing
):
    client.force_login(demo_program.created_by)
    first, second = load_program_data(demo_program).points_for(
        find_step(load_program_data(demo_program).steps, STEP)
    )
    AttentionPointAnswer.objects.filter(program=demo_program, attention_point=second).update(
        status=PointStatus.NOT_RELEVANT, reason="Ikke i denne målgruppe"
    )
    content_changed(demo_program.pk)  # written past the services, which renew kept pages
    soup = _step_page(client, demo_program, language)
    assert _status_line(soup, f"point-{first.pk}") == answered
    assert _status_line(soup, f"point-{second.pk}") == not_relevant
    # Folded: the summary names the point; nothing is open on a page without errors.
    fold = _fold_of(soup, f"point-{first.pk}")
    assert first.title in fold.summary.get_text()
    assert not soup.select("details.fold[open]")

    AttentionPointAnswer.objects.filter(program=demo_program, attention_point=first).update(
        answer=""
    )
    content_changed(demo_program.pk)
    soup = _step_page(client, demo_program, language)
    assert _status_line(soup, f"point-{first.pk}") == missing
    assert _fold_of(soup, f"point-{first.pk}")["data-status"] == "missing"


def test_a_point_with_a_field_error_opens_and_keeps_its_field_names(client, demo_program):
    client.force_login(demo_program.created_by)
    url = reverse("programs:step", args=[demo_program.code, STEP])
    data = form_fields(client.get(url).content.decode())
    point = next(k for k in data if k.startswith("point-") and k.endswith("-answer"))
    data[point] = "x" * 20_001  # over the limit: refused at the field
    data["save"] = "1"
    soup = BeautifulSoup(client.post(url, data).content.decode(), "html.parser")
    field = soup.find("textarea", attrs={"name": point})
    assert field["id"] == f"id_{point}"
    assert field.find_parent("details").has_attr("open")
    others = [d for d in soup.select("details.fold[data-fold]") if d.has_attr("open")]
    assert len(others) == 1  # only the point with the error


def test_transitions_and_the_part_fold_with_their_status(client, demo_program):
    client.force_login(demo_program.created_by)
    step = find_step(load_program_data(demo_program).steps, STEP)
    soup = _step_page(client, demo_program)
    for transition in step.transitions:
        assert _status_line(soup, f"transition-{transition.pk}") == "besvaret"
    part = _fold_of(soup, "id_part-effort")
    assert part["data-fold"] == "part"
    assert part.summary.select_one(".fold-status").get_text(strip=True) == "besvaret"


def test_actor_lists_are_grouped_by_sector_with_the_ids_and_names_they_had(client, demo_program):
    client.force_login(demo_program.created_by)
    soup = _step_page(client, demo_program)
    picker = soup.find(id="id_part-collaborating")
    groups = [g.legend.get_text(strip=True) for g in picker.select("fieldset.actor-group")]
    assert "Sygehus" in groups and "Kommune" in groups
    assert len(groups) == len(set(groups))  # each sector once
    actors = list(demo_program.actors.order_by("position"))
    boxes = picker.select("input[type=checkbox]")
    assert len(boxes) == len(actors)
    for box in boxes:  # the flat list's ids: the n-th actor keeps id_…_n, whatever its group
        assert box["name"] == "part-collaborating"
        position = next(n for n, a in enumerate(actors) if str(a.pk) == box["value"])
        assert box["id"] == f"id_part-collaborating_{position}"
    tokens = soup.select("#div_id_part-collaborating .actor-token")
    chosen = {t.get_text(strip=True) for t in tokens}
    part = demo_program.part_answers.get(section__number="4.4")
    assert chosen == {a.name for a in part.collaborating.all()}


def test_the_review_screen_is_one_line_per_step_with_status_gaps_and_advice(client, demo_program):
    client.force_login(demo_program.created_by)
    AttentionPointAnswer.objects.filter(program=demo_program).filter(
        attention_point__section__number="4.4"
    ).update(answer="")
    # Two of 4.4's transition checklists no longer answered: advice, not gaps.
    TransitionAnswer.objects.filter(
        program=demo_program, transition__key__in=["egen-bolig", "pension"]
    ).update(arrangements={})
    content_changed(demo_program.pk)  # written past the services, which renew kept pages
    html = client.get(reverse("programs:review", args=[demo_program.code])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    steps = soup.select("#review-steps details.review-summary")
    assert len(steps) == 21  # every step but the review itself
    assert not any(d.has_attr("open") for d in steps)
    part = soup.find(id="review-del-4-4")
    line = part.summary.get_text(" ", strip=True)
    assert "4.4 Sociale overgange" in line and "i gang" in line
    assert "2 mangler" in line and "2 anbefalinger" in line
    assert part.select(".review-item")  # the step's full content, inside the fold

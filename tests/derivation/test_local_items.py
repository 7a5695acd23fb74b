"""The local items stay gaps until the group confirms or changes each; until then the
program cannot be sent for review."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from pathways.derivation import local_items
from pathways.derivation.gaps import open_items
from pathways.derivation.models import Derivation
from pathways.derivation.services import confirm_local_item
from pathways.programs.models import AuditAction, AuditEntry, Membership, ProgramStatus, Role
from pathways.programs.services import ServiceError
from pathways.review.models import ReviewRound
from pathways.review.services import LocalItemsOpen, submit_for_review
from tests.derivation.helpers import derive, soup_of
from tests.factories import UserFactory
from tests.programs.helpers import post_step

pytestmark = pytest.mark.django_db


def _open(program) -> list[str]:
    return [local_items.key(i) for i in open_items(Derivation.objects.get(program=program))]


def _step(program, key: str) -> str:
    return reverse("programs:step", args=[program.code, key])


ACTOR_ONE = "doc:aktoerer|actors|a1"


def test_changing_an_actors_contact_point_resolves_that_actor_only(client, demo_program):
    program = derive(demo_program)
    before = _open(program)
    client.force_login(program.created_by)
    # A save that changes no local value resolves nothing.
    post_step(client, _step(program, "aktoerer"), {"roles-municipal_coordinator_note": "Ny note"})
    assert _open(program) == before

    response = post_step(
        client,
        _step(program, "aktoerer"),
        {"actors-0-contact_point": "Børneafdelingen, Odense Universitetshospital, tlf. 6541 0000"},
    )

    assert response.status_code == 302
    assert _open(program) == [key for key in before if key != ACTOR_ONE]
    decision = Derivation.objects.get(program=program).decisions[ACTOR_ONE]
    assert (decision["state"], decision["user"]) == ("changed", program.created_by.pk)


def test_the_step_page_marks_each_local_field_and_confirming_resolves_it(client, demo_program):
    program = derive(demo_program)
    editor = program.created_by
    client.force_login(editor)
    page = soup_of(client.get(_step(program, "implementering")))
    panel = page.select_one("#local-items-step").get_text(" ", strip=True)
    assert "Skal tilpasses lokalt i dette trin (6)" in panel
    label = page.select_one("label[for=id_implementation-publication_place]")
    assert "Skal tilpasses lokalt" in label.get_text()
    button = page.select_one("#div_id_implementation-publication_place button.local-confirm")
    assert button["form"] == "local-confirm"
    key = button["value"]
    assert key == "doc:implementering|publication_place"
    form = page.select_one("form#local-confirm")
    assert form.find_parent("form") is None  # not nested in the step's own form
    assert form["action"] == reverse("derivation:confirm", args=[program.code])

    response = client.post(form["action"], {"item": key, "step": "implementering"})

    assert response.status_code == 302
    assert response["Location"] == _step(program, "implementering") + "#local-items-step"
    assert key not in _open(program)
    entry = AuditEntry.objects.get(program=program, action=AuditAction.LOCAL_ITEM_CONFIRMED)
    assert (entry.user, entry.step_key) == (editor, "implementering")
    assert entry.after == {"field": "doc:publication_place"}
    page = soup_of(client.get(_step(program, "implementering")))
    assert (
        "Skal tilpasses lokalt"
        not in page.select_one("label[for=id_implementation-publication_place]").get_text()
    )
    assert "(5)" in page.select_one("#local-items-step").get_text()
    # Confirming it again: refused with a message, nothing written.
    client.post(form["action"], {"item": key})
    assert AuditEntry.objects.filter(action=AuditAction.LOCAL_ITEM_CONFIRMED).count() == 1


def test_the_working_group_and_an_actor_row_are_marked_on_their_lists(client, demo_program):
    program = derive(demo_program)
    client.force_login(program.created_by)
    page = soup_of(client.get(_step(program, "grundlag")))
    group = page.select_one("#working-group")
    assert group.select_one(".local-mark") is not None
    assert group.select_one("button.local-confirm")["value"] == "doc:grundlag|working_group"
    page = soup_of(client.get(_step(program, "aktoerer")))
    for field in ("name", "unit", "contact_point", "visitation_entry"):
        label = page.select_one(f"label[for=id_actors-0-{field}]")
        assert "Skal tilpasses lokalt" in label.get_text(), field
    buttons = page.select("button.local-confirm")
    assert buttons[0]["value"] == ACTOR_ONE  # one button per actor, on its first field
    assert len({b["value"] for b in buttons}) == len(buttons)


def test_only_an_editor_may_confirm_while_the_program_can_change(client, demo_program):
    program = derive(demo_program)
    url = reverse("derivation:confirm", args=[program.code])
    reader = UserFactory()
    Membership.objects.create(program=program, user=reader, role=Role.READER)
    client.force_login(reader)
    assert client.post(url, {"item": ACTOR_ONE}).status_code == 403
    page = soup_of(client.get(_step(program, "aktoerer")))
    assert page.select_one("#local-items-step") is not None  # a reader sees the list …
    assert page.select("button.local-confirm") == []  # … but no button
    client.force_login(UserFactory())
    assert client.post(url, {"item": ACTOR_ONE}).status_code == 404
    assert ACTOR_ONE in _open(program)

    program.__class__.objects.filter(pk=program.pk).update(status=ProgramStatus.IN_REVIEW)
    with pytest.raises(ServiceError, match="kan ikke ændres"):
        confirm_local_item(program=program, user=program.created_by, key=ACTOR_ONE)
    client.force_login(program.created_by)
    response = client.post(url, {"item": ACTOR_ONE}, follow=True)
    assert "kan ikke ændres" in response.content.decode()
    assert ACTOR_ONE in _open(program)


def test_it_cannot_be_sent_for_review_until_every_local_item_is_dealt_with(client, demo_program):
    program = derive(demo_program)
    editor = program.created_by
    client.force_login(editor)
    # The cleared dates are gaps of their own; filling them in also resolves them.
    post_step(client, _step(program, "implementering"), {"implementation-start_date": "2028-01-01"})
    post_step(client, _step(program, "opfoelgning"), {"follow_up-next_review_date": "2030-01-01"})
    remaining = _open(program)
    assert "doc:implementering|start_date" not in remaining

    page = soup_of(client.get(reverse("programs:detail", args=[program.code])))
    checklist = page.select_one("#review-checklist")
    unmet = checklist.select_one(".requirement.unmet a")
    assert unmet.get_text(strip=True) == f"Tilpas de lokale oplysninger: {len(remaining)} mangler"
    assert unmet["href"] == reverse("programs:detail", args=[program.code]) + "#local-items"
    response = client.get(reverse("review:submit", args=[program.code]), follow=True)
    assert response.redirect_chain[-1][0].endswith("#local-items")
    assert f"Tilpas de lokale oplysninger: {len(remaining)} mangler" in response.content.decode()
    with pytest.raises(LocalItemsOpen):
        submit_for_review(program=program, user=editor)

    for key in remaining:
        confirm_local_item(program=program, user=editor, key=key)

    page = soup_of(client.get(reverse("programs:detail", args=[program.code])))
    assert page.select(".requirement.unmet") == []
    assert "er afklaret" in page.select_one("#local-items").get_text()
    assert client.get(reverse("review:submit", args=[program.code])).status_code == 200
    Membership.objects.create(program=program, user=UserFactory(), role=Role.REVIEWER)
    submit_for_review(program=program, user=editor)
    assert ReviewRound.objects.filter(program=program).exists()


def test_a_program_not_built_on_another_lists_no_such_requirement(client, demo_program):
    client.force_login(demo_program.created_by)
    page = soup_of(client.get(reverse("programs:detail", args=[demo_program.code])))
    assert page.select_one("#local-items") is None
    assert "lokale oplysninger" not in page.select_one("#review-checklist").get_text()


@pytest.mark.parametrize(
    "language, heading, marker, button",
    [
        ("da", "Skal tilpasses lokalt", "Skal tilpasses lokalt", "Bekræft"),
        ("en", "Needs local adaptation", "Needs local adaptation", "Confirm"),
    ],
)
def test_the_pages_speak_the_readers_language(
    client, demo_program, language, heading, marker, button
):
    program = derive(demo_program)
    client.force_login(program.created_by)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = soup_of(client.get(reverse("programs:detail", args=[program.code])))
    assert page.select_one("#local-items h2").get_text().startswith(heading)
    items = page.select_one("#local-items").get_text()
    assert ("Aktør: " if language == "da" else "Actor: ") in items
    assert ("Startdato" if language == "da" else "Start date") in items
    page = soup_of(client.get(_step(program, "implementering")))
    assert marker in page.select_one("label[for=id_implementation-publication_place]").get_text()
    assert page.select_one("button.local-confirm").get_text(" ", strip=True).startswith(button)
    start = reverse("derivation:start", args=[demo_program.code])
    page = soup_of(client.get(start))
    assert page.h1.get_text(strip=True) == (
        "Brug som udgangspunkt" if language == "da" else "Use as a starting point"
    )


def test_the_log_says_what_was_confirmed_and_where_the_program_came_from(client, demo_program):
    program = derive(demo_program)
    editor = program.created_by
    confirm_local_item(program=program, user=editor, key="doc:implementering|publication_place")
    confirm_local_item(program=program, user=editor, key=ACTOR_ONE)
    client.force_login(editor)
    log = soup_of(client.get(reverse("review:audit", args=[program.code]))).main.get_text(" ")
    assert "Lokal oplysning bekræftet" in log
    assert "Her offentliggøres programmet" in log
    assert "Børne- og Ungeafdelingen, Aalborg Universitetshospital" in log
    assert "Brugt som udgangspunkt" in log
    assert f"{demo_program.code} 1.0" in log
    client.force_login(demo_program.created_by)
    log = soup_of(client.get(reverse("review:audit", args=[demo_program.code]))).main.get_text(" ")
    assert "Nyt program bygget på dette" in log
    assert program.code in log


def test_every_open_item_can_be_confirmed_on_its_step_page(client, demo_program):
    program = derive(demo_program)
    client.force_login(program.created_by)
    by_step: dict[str, set[str]] = {}
    for key in _open(program):
        by_step.setdefault(key.removeprefix("doc:").split("|")[0], set()).add(key)
    for step_key, keys in by_step.items():
        page = soup_of(client.get(_step(program, step_key)))
        buttons = [b["value"] for b in page.select("button.local-confirm")]
        assert sorted(buttons) == sorted(keys), step_key  # each once, none missing
        marked = page.select(".local-mark")
        assert len(marked) >= len(keys), step_key


def test_confirming_all_of_a_step_resolves_its_items_only_and_logs_each(client, demo_program):
    """National actors (VISO, Sjældne Diagnoser) hold everywhere: one click for the step."""
    program = derive(demo_program)
    client.force_login(program.created_by)
    before = _open(program)
    actor_items = [k for k in before if k.startswith("doc:aktoerer|")]
    assert len(actor_items) > 1
    page = soup_of(client.get(_step(program, "aktoerer")))
    menu_item = page.select_one(".side-menu button[value=aktoerer]")
    badge = menu_item.select_one(".local-count").get_text(" ", strip=True)
    assert badge == f"{len(actor_items)} skal tilpasses lokalt"
    button = page.select_one("#local-confirm-all")
    assert f"Bekræft alle {len(actor_items)} i dette trin" in button.get_text()
    assert button["form"] == "local-confirm"

    response = client.post(
        reverse("derivation:confirm", args=[program.code]), {"all": "1", "step": "aktoerer"}
    )

    assert response["Location"] == _step(program, "aktoerer")
    page = soup_of(client.get(_step(program, "aktoerer")))
    assert page.select_one(".side-menu button[value=aktoerer] .local-count") is None
    assert page.select_one(".side-menu button[value=grundlag] .local-count") is not None
    assert _open(program) == [k for k in before if k not in actor_items]
    confirmed = AuditEntry.objects.filter(program=program, action=AuditAction.LOCAL_ITEM_CONFIRMED)
    assert confirmed.count() == len(actor_items)
    # Nothing left in the step: a second click is refused with a message, nothing written.
    client.post(
        reverse("derivation:confirm", args=[program.code]), {"all": "1", "step": "aktoerer"}
    )
    assert confirmed.count() == len(actor_items)

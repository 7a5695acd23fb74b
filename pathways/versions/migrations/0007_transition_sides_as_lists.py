"""Published versions' documents hold a transition's sending and receiving actors as lists,
like the program document does since programs/0012."""

import copy

from django.db import migrations

SIDES = ("sending", "receiving")


def as_list(value):
    if isinstance(value, list):
        return sorted(value, key=str)
    return [] if value in (None, "") else [value]


def upgrade(document):
    """The document with every transition's sides as lists (a list stays as it is)."""
    for step_doc in (document.get("content") or {}).values():
        transitions = step_doc.get("transitions") if isinstance(step_doc, dict) else None
        for answers in (transitions or {}).values():
            for side in SIDES:
                if isinstance(answers, dict) and side in answers:
                    answers[side] = as_list(answers[side])
    return document


def sides_as_lists(apps, schema_editor):
    ProgramVersion = apps.get_model("versions", "ProgramVersion")
    for version in ProgramVersion.objects.only("pk", "document").iterator():
        upgraded = upgrade(copy.deepcopy(version.document or {}))
        if upgraded != version.document:
            # Versions are immutable in the app; a format upgrade changes no content.
            ProgramVersion.objects.filter(pk=version.pk).update(document=upgraded)


class Migration(migrations.Migration):
    dependencies = [
        ("versions", "0006_region_is_dated_data"),
        ("programs", "0012_transitions_several_actors_and_arrangements"),
    ]

    operations = [migrations.RunPython(sides_as_lists, migrations.RunPython.noop)]

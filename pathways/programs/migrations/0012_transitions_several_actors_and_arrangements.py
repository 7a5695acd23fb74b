"""A transition has several sending and receiving actors, and answers the model's list of
what must be arranged. The one sender and receiver each answer had become the first of
their lists, in the rows, in the step snapshots (the merge base) and in the step-save log
entries; published versions' documents follow in versions/0007."""

from django.db import migrations, models

SIDES = ("sending", "receiving")


def as_list(value):
    """A side as the document now holds it: a sorted list (one actor became a list of one)."""
    if isinstance(value, list):
        return sorted(value, key=str)
    return [] if value in (None, "") else [value]


def several_actors(apps, schema_editor):
    TransitionAnswer = apps.get_model("programs", "TransitionAnswer")
    for answer in TransitionAnswer.objects.exclude(sending=None, receiving=None):
        if answer.sending_id:
            answer.senders.add(answer.sending_id)
        if answer.receiving_id:
            answer.receivers.add(answer.receiving_id)


def lists_in_history(apps, schema_editor):
    """The step snapshots (merge bases) and step-save log entries hold the sides as lists."""
    StepSnapshot = apps.get_model("programs", "StepSnapshot")
    for snapshot in StepSnapshot.objects.filter(step_key__startswith="del-").iterator():
        values = dict(snapshot.values)
        changed = False
        for key, value in values.items():
            if key.startswith("transition-") and key.rsplit("-", 1)[-1] in SIDES:
                values[key] = as_list(value)
                changed = changed or values[key] != value
        if changed:
            StepSnapshot.objects.filter(pk=snapshot.pk).update(values=values)
    AuditEntry = apps.get_model("programs", "AuditEntry")
    for entry in AuditEntry.objects.filter(action="step_saved").iterator():
        sides = {}
        for name in ("before", "after"):
            logged = dict(getattr(entry, name) or {})
            for key, value in logged.items():
                if key.startswith("doc:transitions|") and key.rsplit("|", 1)[-1] in SIDES:
                    logged[key] = as_list(value)
            if logged != getattr(entry, name):
                sides[name] = logged
        if sides:  # historical models bypass the append-only save(); update() is the way
            AuditEntry.objects.filter(pk=entry.pk).update(**sides)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0011_actor_delivered_from_2027"),
    ]

    operations = [
        migrations.AddField(
            model_name="transitionanswer",
            name="arrangements",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="transitionanswer",
            name="receivers",
            field=models.ManyToManyField(blank=True, related_name="+", to="programs.programactor"),
        ),
        migrations.AddField(
            model_name="transitionanswer",
            name="senders",
            field=models.ManyToManyField(blank=True, related_name="+", to="programs.programactor"),
        ),
        migrations.RunPython(several_actors, migrations.RunPython.noop),
        migrations.RunPython(lists_in_history, migrations.RunPython.noop),
        migrations.RemoveField(model_name="transitionanswer", name="receiving"),
        migrations.RemoveField(model_name="transitionanswer", name="sending"),
    ]

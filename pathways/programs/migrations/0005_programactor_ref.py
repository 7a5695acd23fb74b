from django.db import migrations, models


def number_actors(apps, schema_editor):
    """Existing actors get a1, a2, … in their program's order."""
    ProgramActor = apps.get_model("programs", "ProgramActor")
    counters: dict[int, int] = {}
    for actor in ProgramActor.objects.order_by("program_id", "position", "pk"):
        counters[actor.program_id] = counters.get(actor.program_id, 0) + 1
        actor.ref = f"a{counters[actor.program_id]}"
        actor.save(update_fields=["ref"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0004_step_snapshots_text_limits")]

    operations = [
        migrations.AddField(
            model_name="programactor",
            name="ref",
            field=models.CharField(default="", max_length=12),
            preserve_default=False,
        ),
        migrations.RunPython(number_actors, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="programactor",
            constraint=models.UniqueConstraint(fields=("program", "ref"), name="unique_actor_ref"),
        ),
    ]

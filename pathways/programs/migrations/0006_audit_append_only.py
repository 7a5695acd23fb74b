# The audit is append-only in fact: declared actions, and a program with history is protected.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_programactor_ref"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("program_created", "Program oprettet"),
                    ("program_imported", "Program importeret"),
                    ("step_saved", "Trin gemt"),
                    ("member_added", "Medlem tilføjet"),
                    ("member_role_changed", "Medlems rolle ændret"),
                    ("member_removed", "Medlem fjernet"),
                    ("member_left", "Medlem forlod programmet"),
                    ("status_changed", "Status ændret"),
                    ("verdict_given", "Høringssvar afgivet"),
                    ("comment_added", "Kommentar tilføjet"),
                    ("comment_resolved", "Kommentar løst"),
                    ("comment_reopened", "Kommentar genåbnet"),
                    ("version_published", "Version offentliggjort"),
                ],
                max_length=40,
                verbose_name="handling",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_entries",
                to="programs.program",
            ),
        ),
    ]

"""Every program published before the catalogue existed gets its row.

The rows are derived data, written by the live indexing code (pathways/catalogue/indexing.py)
rather than a frozen copy: a frozen copy would have to repeat the PDF's whole reading of a
program document. If the live code no longer fits the tables at this point of a long
migration run, the rows are left out with a note, and `manage.py rebuild_catalogue` (which
the note names) writes them once the migrations are done. Backwards: the table goes anyway.
"""

from django.db import DatabaseError, migrations, transaction


def backfill(apps, schema_editor):
    ProgramVersion = apps.get_model("versions", "ProgramVersion")
    if not ProgramVersion.objects.exists():
        return
    from pathways.catalogue.indexing import rebuild

    try:
        with transaction.atomic():
            _written, failed = rebuild()
    except DatabaseError as error:
        failed = [str(error)]
    if failed:
        print(
            "\n  The catalogue is incomplete; run `manage.py rebuild_catalogue` after "
            "migrating. Not indexed: " + "; ".join(failed)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("generic_model", "0007_companion_references"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

"""Versions and step-save audit entries written before the program document, moved onto it.

A version published before `document` was stored gets it from its label-keyed `content`;
a step save logged by label gets document paths and raw values where they read back
(pathways/versions/legacy_content.py, frozen, says how and what the old format lost).
Backwards this does nothing: the converted rows stay valid for the older code, which
reads `content` and shows unconverted labels as they are.
"""

from django.db import migrations

from pathways.versions import legacy_content as legacy


def to_program_document(apps, schema_editor):
    ProgramVersion = apps.get_model("versions", "ProgramVersion")
    AuditEntry = apps.get_model("programs", "AuditEntry")
    catalogues, actors = {}, {}

    def catalogue(model_version_id):
        if model_version_id not in catalogues:
            catalogues[model_version_id] = legacy.load_catalogue(apps, model_version_id)
        return catalogues[model_version_id]

    def actors_of(program_id):
        if program_id not in actors:
            actors[program_id] = legacy.load_actors(apps, program_id)
        return actors[program_id]

    versions = (
        ProgramVersion.objects.filter(document__isnull=True)
        .select_related("program")
        .defer("pdf")
        .order_by("pk")
    )
    for version in versions:
        program = version.program
        document = legacy.version_document(
            version.content,
            catalogue(program.model_version_id),
            actors_of(program.pk),
            code=program.code,
            is_example=program.is_example,
            number=f"{version.major}.{version.minor}",
            title=version.title,
            region=version.region,
        )
        # update(), not save(): published versions refuse to be saved again.
        ProgramVersion.objects.filter(pk=version.pk).update(document=document)

    entries = AuditEntry.objects.filter(action="step_saved").select_related("program")
    for entry in entries.order_by("pk").iterator():
        if not legacy.is_legacy_entry(entry.before, entry.after):
            continue
        converted = legacy.audit_changes(
            entry.step_key,
            entry.before,
            entry.after,
            catalogue(entry.program.model_version_id),
            actors_of(entry.program_id),
        )
        if converted is not None:
            # update(), not save(): the log is append-only for the app.
            AuditEntry.objects.filter(pk=entry.pk).update(before=converted[0], after=converted[1])


class Migration(migrations.Migration):
    dependencies = [
        ("versions", "0003_version_document"),
        # The actors' refs, and the model's step roles that say which steps a program has.
        ("programs", "0006_audit_append_only"),
        ("generic_model", "0003_section_step_role"),
    ]

    operations = [migrations.RunPython(to_program_document, migrations.RunPython.noop)]

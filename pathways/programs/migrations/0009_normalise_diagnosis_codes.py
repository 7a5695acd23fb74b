# Diagnosis codes were stored as typed, so one diagnosis had several spellings (Q87.1, DQ87.1,
# DQ871) and did not match itself. ICD-10 codes are now stored in SKS form (DQ871) and ORPHA
# codes as ORPHA:739 (pathways/programs/codes.py); this brings the stored codes, and the step
# snapshots merges start from, into that form. The rules are copied here, as they are today,
# so the migration does not change if codes.py does. A code no rule recognises (e.g. an ORPHA
# code without its prefix: it may be an OMIM number) is left as it is: the target-group
# step then asks for it in the expected form when it is next saved. Published versions keep
# their documents as published.

import re

from django.db import migrations

ICD10 = re.compile(r"D?([A-Z][0-9]{2})\.?([0-9A-Z]{0,4})")
ORPHA = re.compile(r"ORPHA:?([0-9]{1,7})")


def normalised(system_key, code):
    squeezed = re.sub(r"\s+", "", code).upper()
    if system_key == "icd-10" and (found := ICD10.fullmatch(squeezed)):
        return f"D{found[1]}{found[2]}"
    if system_key == "orpha" and (found := ORPHA.fullmatch(squeezed)):
        return f"ORPHA:{found[1]}"
    return code


def normalise_codes(apps, schema_editor):
    CodeSystem = apps.get_model("generic_model", "CodeSystem")
    DiagnosisCode = apps.get_model("programs", "DiagnosisCode")
    StepSnapshot = apps.get_model("programs", "StepSnapshot")
    keys = dict(CodeSystem.objects.values_list("pk", "key"))
    for code in DiagnosisCode.objects.filter(code_system__key__in=["icd-10", "orpha"]):
        stored = normalised(keys[code.code_system_id], code.code)
        if stored != code.code:
            code.code = stored
            code.save(update_fields=["code"])
    for snapshot in StepSnapshot.objects.filter(values__has_key="codes"):
        rows = snapshot.values.get("codes")
        if not isinstance(rows, list):
            continue
        changed = False
        for row in rows:
            if isinstance(row, dict) and isinstance(row.get("code"), str):
                stored = normalised(keys.get(row.get("system"), ""), row["code"])
                changed |= stored != row["code"]
                row["code"] = stored
        if changed:
            snapshot.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_part_patient_responsible_doctor"),
    ]

    operations = [
        migrations.RunPython(normalise_codes, migrations.RunPython.noop),
    ]

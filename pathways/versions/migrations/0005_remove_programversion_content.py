# After 0004 every version has its program document: the label-keyed content goes, and a
# version without a document can no longer be stored.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("versions", "0004_document_from_legacy_content"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="programversion",
            name="content",
        ),
        migrations.AlterField(
            model_name="programversion",
            name="document",
            field=models.JSONField(),
        ),
    ]

"""The old import table goes (its batches were copied into exchange by 0002_indicator_imports_in_exchange_batches)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0002_indicator_imports_in_exchange_batches"),
    ]

    operations = [
        migrations.RemoveField(model_name="valuesubmission", name="import_batch"),
        migrations.RenameField(model_name="valuesubmission", old_name="exchange_batch", new_name="import_batch"),
        migrations.DeleteModel(name="ImportBatch"),
    ]

"""One intake path: planning's own ImportBatch is replaced by exchange's (kind planning_values).

Every stored batch is copied into exchange.ImportBatch (see minzheng.exchange.legacy), every
submission imported from one points at its copy.
The old table is dropped by the next migration (PostgreSQL cannot alter a table with pending
trigger events in the transaction that wrote them)."""

import django.db.models.deletion
from django.db import migrations, models

from minzheng.exchange.legacy import dedupe_committed_keys, from_planning_batch, write_batches


def copy_batches(apps, schema_editor):
    OldBatch = apps.get_model("planning", "ImportBatch")
    ValueSubmission = apps.get_model("planning", "ValueSubmission")
    ImportBatch = apps.get_model("exchange", "ImportBatch")
    User = apps.get_model("accounts", "User")
    batches = list(OldBatch.objects.order_by("id").values())
    if not batches:
        return
    users = User.objects.filter(pk__in={b["created_by_id"] for b in batches}).values_list("pk", "display_name", "username")
    names = {pk: display or username for pk, display, username in users}
    taken = set(ImportBatch.objects.filter(status="committed").values_list("kind", "content_key"))
    fields = [("planning_importbatch", b["id"], from_planning_batch(b, user_name=names.get(b["created_by_id"], ""))) for b in batches]
    mapping = write_batches(ImportBatch, dedupe_committed_keys(fields, taken))
    for old, new in mapping.items():
        ValueSubmission.objects.filter(import_batch_id=old).update(exchange_batch_id=new)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="valuesubmission",
            name="exchange_batch",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="exchange.importbatch"
            ),
        ),
        migrations.RunPython(copy_batches, migrations.RunPython.noop),
    ]

"""One intake path: assistance's ImportJob pipeline is replaced by exchange's ImportBatch.

Every stored job is copied into exchange.ImportBatch (kind assistance_<kind>; see
minzheng.exchange.legacy), every department record is pointed at its copy.
The job table is dropped by the next migration (PostgreSQL cannot alter a table with pending
trigger events in the transaction that wrote them)."""

import django.db.models.deletion
from django.db import migrations, models

from minzheng.exchange.legacy import dedupe_committed_keys, from_assistance_job, write_batches


def copy_jobs(apps, schema_editor):
    ImportJob = apps.get_model("assistance", "ImportJob")
    DepartmentRecord = apps.get_model("assistance", "DepartmentRecord")
    ImportBatch = apps.get_model("exchange", "ImportBatch")
    User = apps.get_model("accounts", "User")
    jobs = list(ImportJob.objects.order_by("id").values())
    if not jobs:
        return
    users = User.objects.filter(pk__in={j["created_by_id"] for j in jobs}).values_list("pk", "display_name", "username")
    names = {pk: display or username for pk, display, username in users}
    taken = set(ImportBatch.objects.filter(status="committed").values_list("kind", "content_key"))
    fields = [("assistance_importjob", j["id"], from_assistance_job(j, user_name=names.get(j["created_by_id"], ""))) for j in jobs]
    mapping = write_batches(ImportBatch, dedupe_committed_keys(fields, taken))
    for old, new in mapping.items():
        DepartmentRecord.objects.filter(job_id=old).update(batch_id=new)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="departmentrecord",
            name="batch",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="exchange.importbatch", verbose_name="导入批次"
            ),
        ),
        migrations.RunPython(copy_jobs, migrations.RunPython.noop),
    ]

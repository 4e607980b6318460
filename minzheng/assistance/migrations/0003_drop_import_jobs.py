"""The old import table goes (its batches were copied into exchange by 0002_department_records_in_exchange_batches)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0002_department_records_in_exchange_batches"),
    ]

    operations = [
        migrations.RemoveField(model_name="departmentrecord", name="job"),
        migrations.AlterField(
            model_name="departmentrecord",
            name="batch",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="exchange.importbatch", verbose_name="导入批次"
            ),
        ),
        migrations.DeleteModel(name="ImportJob"),
    ]

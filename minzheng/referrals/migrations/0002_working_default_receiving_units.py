"""The working-default receiving units, one per kind (two for 其他部门): the district's
departments that run each kind of special assistance. No source in domain/ names them, so
they are seeded provisional (shown 「参数待确认」) until the district confirms or replaces them
on the 转介接收单位 screen."""

from django.db import migrations

UNITS = (
    ("medical", "涪陵区医疗保障局", "医疗救助"),
    ("education", "涪陵区教育委员会", "学生资助"),
    ("housing", "涪陵区住房和城乡建设委员会", "住房保障"),
    ("employment", "涪陵区人力资源和社会保障局", "就业援助"),
    ("other", "涪陵区残疾人联合会", ""),
    ("other", "涪陵区卫生健康委员会", ""),
)


def add_units(apps, schema_editor):
    ReceivingUnit = apps.get_model("referrals", "ReceivingUnit")
    for kind, name, contact in UNITS:
        ReceivingUnit.objects.get_or_create(kind=kind, name=name, defaults={"contact": contact, "provisional": True})


def remove_units(apps, schema_editor):
    ReceivingUnit = apps.get_model("referrals", "ReceivingUnit")
    for kind, name, _ in UNITS:
        ReceivingUnit.objects.filter(kind=kind, name=name, provisional=True, referrals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_referrals_and_rehab_files")]
    operations = [migrations.RunPython(add_units, remove_units)]

"""The working-default receiving units, one per kind (two for 其他部门): the district's
departments that run each kind of special assistance. No source in domain/ names them, so they
are ``provisional`` (shown 「参数待确认」) until the district confirms or replaces them on the
转介接收单位 screen. Migration 0002 installs the same list (frozen there, as migrations are)."""

from __future__ import annotations

from minzheng.referrals.models import ReceivingUnit

DEFAULT_UNITS = (
    ("medical", "涪陵区医疗保障局", "医疗救助"),
    ("education", "涪陵区教育委员会", "学生资助"),
    ("housing", "涪陵区住房和城乡建设委员会", "住房保障"),
    ("employment", "涪陵区人力资源和社会保障局", "就业援助"),
    ("other", "涪陵区残疾人联合会", ""),
    ("other", "涪陵区卫生健康委员会", ""),
)


def ensure_default_units() -> int:
    """Put back any working-default unit that is missing (a database flushed by tests, a demo
    database built without migrations' data); returns how many were added."""
    added = 0
    for kind, name, contact in DEFAULT_UNITS:
        _, created = ReceivingUnit.objects.get_or_create(kind=kind, name=name, defaults={"contact": contact, "provisional": True})
        added += created
    return added

"""The audit log as people read it: names instead of usernames, Chinese object types and field
names, values without Python's None."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps

OBJECT_TYPES = {
    "api_token": "接口令牌",
    "application": "救助申请",
    "assistance_config": "救助设置",
    "attachment": "附件",
    "calendar_day": "工作日历",
    "death_report": "死亡报告",
    "department_record": "部门数据",
    "discovery_alert": "预警",
    "discovery_escalation": "预警升级",
    "discovery_recheck": "复查",
    "discovery_task": "发现任务",
    "division": "行政区划",
    "eldercare.assessment": "能力评估",
    "eldercare.demo_activity": "养老演示数据",
    "eldercare.facility": "养老服务设施",
    "eldercare.family_bed": "家庭养老床位",
    "eldercare.family_bed_service": "家庭养老床位服务",
    "eldercare.order": "养老服务工单",
    "eldercare.provider": "服务机构",
    "eldercare.residency": "入住记录",
    "eldercare.settlement": "服务结算",
    "eldercare.village_location": "村（社区）位置",
    "eldercare.visit": "探访",
    "eldercare.visit_target": "探访对象",
    "enrolment": "在保记录",
    "household": "家庭",
    "import_batch": "导入批次",
    "left_behind": "三留守人员",
    "left_behind_visit": "三留守走访",
    "payment_batch": "发放表",
    "permit": "许可",
    "person": "人员",
    "plan": "规划",
    "planning_lock": "规划年度锁定",
    "planning_narrative": "规划文字材料",
    "planning_progress": "项目进度",
    "planning_recompute": "规划指标重算",
    "planning_reference": "参照数据",
    "planning_report": "规划报告",
    "planning_submission": "指标填报",
    "public_notice": "公示",
    "reform_simulation": "政策模拟",
    "registry": "人口登记",
    "review_task": "复核任务",
    "screening_run": "筛查批次",
    "user": "用户账号",
}
FIELD_LABELS = {
    "value": "数值",
    "locks_on": "锁定日期",
    "percent": "完成比例",
    "spent_wan": "已完成投资（万元）",
    "overview": "总体情况",
    "achievements": "主要成效",
    "problems": "存在问题",
    "next_steps": "下一步打算",
    "members": "家庭成员",
    "division_codes": "辖区",
    "active": "启用",
    "advance_paid_fen": "先行救助金额（分）",
}


@cache
def _model_field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if verbose and field.name not in labels and str(verbose) != field.name.replace("_", " "):
                labels[field.name] = str(verbose)
    return labels


def object_type_label(object_type: str) -> str:
    if not object_type:
        return ""
    if object_type in OBJECT_TYPES:
        return OBJECT_TYPES[object_type]
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return "其他记录"


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or _model_field_labels().get(name) or "其他字段"


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, (list, tuple)):
        return "、".join(value_text(v) for v in value) or "（空）"
    if isinstance(value, dict):
        return "；".join(f"{field_label(k)}：{value_text(v)}" for k, v in value.items())
    return str(value)


def changes_text(changed_fields: Any) -> list[str]:
    """{'status': ['open', 'done']} → ['状态：open → done'] (values as stored, labels in Chinese)."""
    if not isinstance(changed_fields, dict):
        return [value_text(changed_fields)] if changed_fields else []
    lines = []
    for name, change in changed_fields.items():
        if isinstance(change, (list, tuple)) and len(change) == 2:
            lines.append(f"{field_label(name)}：{value_text(change[0])} → {value_text(change[1])}")
        else:
            lines.append(f"{field_label(name)}：{value_text(change)}")
    return lines

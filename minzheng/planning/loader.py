"""Loading a plan from its data folder (idempotent), and extracting its tasks from the plan text.

A plan folder (``planning/data/<code>/``) holds ``plan.yaml`` (the plan's metadata and what the
tables do not say), ``indicators.csv``, ``other_targets.csv``, ``key_projects.csv``,
``baseline_2020.csv`` and ``tasks.csv``. Loading the same folder again updates rows in place
and never touches values, submissions, progress reports or generated reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.planning.enums import Aggregation, Attribute, Direction, IndicatorKind, TargetRule
from minzheng.planning.models import (
    Indicator,
    KeyProject,
    Plan,
    PlanChapter,
    PlanTask,
    ReferenceSeries,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PLAN_DIR = DATA_DIR / "2021-2025"

_RULES = {">=": TargetRule.AT_LEAST, "=": TargetRule.EQUAL, "<=": TargetRule.AT_MOST}
_ATTRIBUTES = {"约束性": Attribute.BINDING, "预期性": Attribute.EXPECTED, "": Attribute.UNSPECIFIED}
_DIRECTIONS = {
    TargetRule.AT_LEAST: Direction.UP,
    TargetRule.GROWTH_VS_REFERENCE: Direction.UP,
    TargetRule.EQUAL: Direction.HOLD,
    TargetRule.AT_MOST: Direction.DOWN,
}


class PlanDataError(ValueError):
    """The plan folder is malformed; the message names the file and row."""


@dataclass
class LoadSummary:
    plan: str
    chapters: int = 0
    tasks: int = 0
    indicators: int = 0
    other_targets: int = 0
    projects: int = 0
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "规划": self.plan,
            "章": self.chapters,
            "任务": self.tasks,
            "主要指标": self.indicators,
            "其他量化目标": self.other_targets,
            "重点项目": self.projects,
            "新增": self.created,
            "更新": self.updated,
        }


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _decimal(text: str, where: str) -> Decimal | None:
    text = (text or "").strip()
    if not text or text in {"—", "-"}:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_target(text: str, rule_text: str, where: str) -> tuple[Decimal | None, str, str | None]:
    """(target value, rule, reference series code) from the CSV's target and target_rule."""
    rule_text = rule_text.strip()
    if rule_text.startswith("growth>="):
        return None, TargetRule.GROWTH_VS_REFERENCE, rule_text.split(">=", 1)[1]
    if rule_text not in _RULES:
        raise PlanDataError(f"{where}: 无法识别的目标判定 {rule_text!r}")
    value = _decimal(text, where)
    if value is None:
        raise PlanDataError(f"{where}: 目标值 {text!r} 不是数字")
    return value, _RULES[rule_text], None


def parse_period(text: str, where: str) -> tuple[int, int]:
    years = [int(y) for y in re.findall(r"(20\d\d)", text)]
    if not years:
        raise PlanDataError(f"{where}: 无法识别建设期限 {text!r}")
    return min(years), max(years)


def locate_division(location: str, pinned: dict[str, str]) -> str:
    """The town a project location lies in: by town name, then by village name; else the district."""
    if location in pinned:
        return pinned[location]
    directory = get_directory()
    for town in sorted(directory.towns(), key=lambda t: -len(t.name)):
        if town.name in location:
            return town.code
    for village in directory.villages():
        if len(village.name) >= 3 and village.name in location:
            return village.parent_code
    return district_code()


@transaction.atomic
def load_plan(directory: Path | str = DEFAULT_PLAN_DIR, *, actor: Actor | None = None) -> LoadSummary:
    directory = Path(directory)
    meta_path = directory / "plan.yaml"
    if not meta_path.exists():
        raise PlanDataError(f"{meta_path}: 缺少规划说明文件")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    actor = actor or Actor.system("载入规划数据")
    summary = LoadSummary(plan=str(meta["code"]))

    issued_on = meta.get("issued_on")
    if isinstance(issued_on, str):
        issued_on = dt.date.fromisoformat(issued_on)
    plan, created = Plan.objects.update_or_create(
        code=str(meta["code"]),
        defaults={
            "title": meta["title"],
            "short_title": meta.get("short_title", meta["title"]),
            "document_number": meta.get("document_number", ""),
            "issuer": meta.get("issuer", ""),
            "issued_on": issued_on,
            "baseline_year": int(meta["baseline_year"]),
            "start_year": int(meta["start_year"]),
            "end_year": int(meta["end_year"]),
            "midterm_year": int(meta["midterm_year"]),
            "source": meta.get("source", ""),
        },
    )
    _count(summary, created)

    series = {}
    for code, info in (meta.get("reference_series") or {}).items():
        obj, created = ReferenceSeries.objects.update_or_create(
            code=code, defaults={"name": info["name"], "unit": info.get("unit", ""), "source": info.get("source", "")}
        )
        series[code] = obj
        _count(summary, created)

    _load_tasks(plan, directory / "tasks.csv", summary)
    main = _load_indicators(plan, directory / "indicators.csv", meta, series, summary)
    _load_other_targets(plan, directory / "other_targets.csv", meta, main, summary)
    _load_projects(plan, directory / "key_projects.csv", meta.get("projects_locations") or {}, summary)

    record_audit_event(
        actor,
        AuditAction.IMPORT,
        object_type="plan",
        object_id=plan.pk,
        division_code=district_code(),
        summary=f"载入规划 {plan.code}：指标 {summary.indicators}，其他目标 {summary.other_targets}，项目 {summary.projects}",
        extra={"directory": directory.name, "created": summary.created, "updated": summary.updated},
    )
    return summary


def _count(summary: LoadSummary, created: bool) -> None:
    if created:
        summary.created += 1
    else:
        summary.updated += 1


def _load_tasks(plan: Plan, path: Path, summary: LoadSummary) -> None:
    if not path.exists():
        summary.warnings.append(f"{path.name} 不存在：未载入规划任务")
        return
    chapters: dict[int, PlanChapter] = {}
    for i, row in enumerate(_read_csv(path), start=2):
        number = int(row["chapter"])
        chapter = chapters.get(number)
        if chapter is None:
            chapter, created = PlanChapter.objects.update_or_create(
                plan=plan, number=number, defaults={"title": row["chapter_title"]}
            )
            chapters[number] = chapter
            summary.chapters += 1
            _count(summary, created)
        _, created = PlanTask.objects.update_or_create(
            chapter=chapter,
            section_number=int(row["section"]),
            seq=int(row["seq"]),
            defaults={
                "plan": plan,
                "section_title": row["section_title"],
                "title": row["title"][:200],
                "summary": row["summary"],
                "is_box": row["is_box"] == "1",
            },
        )
        summary.tasks += 1
        _count(summary, created)


def _load_indicators(plan, path, meta, series, summary) -> dict[str, Indicator]:
    extra = {str(k): v for k, v in (meta.get("indicators") or {}).items()}
    baseline_year = int(meta["baseline_year"])
    end_year = int(meta["end_year"])
    out = {}
    for i, row in enumerate(_read_csv(path), start=2):
        where = f"{path.name} 第{i}行"
        code = row["code"]
        info = extra.get(code, {})
        target, rule, ref = parse_target(row["target_2025"], row["target_rule"], where)
        if ref and ref not in series:
            raise PlanDataError(f"{where}: 参照序列 {ref} 未在 plan.yaml 中定义")
        baseline = _decimal(row["baseline_2020"], where)
        if row["attribute"] not in _ATTRIBUTES:
            raise PlanDataError(f"{where}: 指标属性 {row['attribute']!r} 不正确")
        obj, created = Indicator.objects.update_or_create(
            plan=plan,
            code=code,
            defaults={
                "kind": IndicatorKind.MAIN,
                "seq": int(code),
                "area": info.get("area", ""),
                "name": row["name"],
                "unit": row["unit"],
                "baseline_value": baseline,
                "baseline_year": baseline_year if baseline is not None else None,
                "baseline_text": row["baseline_2020"] or "—",
                "target_value": target,
                "target_year": end_year,
                "target_text": row["target_2025"],
                "target_rule": rule,
                "reference_series": series.get(ref) if ref else None,
                "attribute": _ATTRIBUTES[row["attribute"]],
                "direction": _DIRECTIONS[rule],
                "responsible_section": info.get("section", ""),
                "aggregation": info.get("aggregation", Aggregation.DISTRICT),
                "computation": info.get("computation", "") or "",
                "mirror_of": None,
                "decimals": int(info.get("decimals", 1)),
                "source": row["source"],
                "note": info.get("note", ""),
            },
        )
        out[code] = obj
        summary.indicators += 1
        _count(summary, created)
    return out


def _load_other_targets(plan, path, meta, main, summary) -> None:
    extra = {str(k): v for k, v in (meta.get("other_targets") or {}).items()}
    end_year = int(meta["end_year"])
    for n, row in enumerate(_read_csv(path), start=1):
        where = f"{path.name} 第{n + 1}行"
        code = f"O{n:02d}"
        info = extra.get(code, {})
        target, rule, _ = parse_target(row["value_2025"], info.get("rule", ">="), where)
        mirror = None
        if info.get("mirror_of"):
            mirror = main.get(str(info["mirror_of"]))
            if mirror is None:
                raise PlanDataError(f"{where}: mirror_of 指向不存在的主要指标 {info['mirror_of']}")
        obj, created = Indicator.objects.update_or_create(
            plan=plan,
            code=code,
            defaults={
                "kind": IndicatorKind.OTHER,
                "seq": n,
                "area": row["area"],
                "name": row["target"],
                "unit": row["unit"],
                "baseline_value": None,
                "baseline_year": None,
                "baseline_text": "—",
                "target_value": target,
                "target_year": end_year,
                "target_text": row["value_2025"],
                "target_rule": rule,
                "reference_series": None,
                "attribute": Attribute.UNSPECIFIED,
                "direction": _DIRECTIONS[rule],
                "responsible_section": (mirror.responsible_section if mirror else info.get("section", "")),
                "aggregation": mirror.aggregation if mirror else info.get("aggregation", Aggregation.DISTRICT),
                "computation": "" if mirror else (info.get("computation", "") or ""),
                "mirror_of": mirror,
                "decimals": mirror.decimals if mirror else int(info.get("decimals", 1)),
                "source": row["source"],
                "note": info.get("note", "") or (f"与主要指标{mirror.code}口径相同，取其数值" if mirror else ""),
            },
        )
        summary.other_targets += 1
        _count(summary, created)


def _load_projects(plan, path, pinned, summary) -> None:
    groups: list[str] = []
    for i, row in enumerate(_read_csv(path), start=2):
        where = f"{path.name} 第{i}行"
        if row["group"] not in groups:
            groups.append(row["group"])
        investment = _decimal(row["investment_10k_yuan"], where)
        if investment is None:
            raise PlanDataError(f"{where}: 总投资 {row['investment_10k_yuan']!r} 不是数字")
        start, end = parse_period(row["period"], where)
        _, created = KeyProject.objects.update_or_create(
            plan=plan,
            group=row["group"],
            seq=int(row["seq"]),
            defaults={
                "group_seq": groups.index(row["group"]) + 1,
                "name": row["name"],
                "content": row["content"],
                "location": row["location"],
                "division_code": locate_division(row["location"], pinned),
                "investment_wan": investment,
                "funding": row["funding"],
                "period_text": row["period"],
                "start_year": start,
                "end_year": end,
            },
        )
        summary.projects += 1
        _count(summary, created)


# --- extracting tasks from the plan text ---------------------------------------------------

_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十", start=0)}
_CHAPTER_RE = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.+)$")
_SECTION_RE = re.compile(r"^第([一二三四五六七八九十]+)节\s*(.+)$")
_BOX_RE = re.compile(r"^专栏\s*(\d+)\s*(.+)$")
TASK_HEADING_MAX = 30  # a paragraph starting with a sentence this short is a titled task
SUMMARY_MAX = 300


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUM[text[1]]
    if text.endswith("十"):
        return _CN_NUM[text[0]] * 10
    if "十" in text:
        a, b = text.split("十")
        return _CN_NUM[a] * 10 + _CN_NUM[b]
    return _CN_NUM[text]


def extract_tasks(text: str, chapters: set[int]) -> list[dict[str, str]]:
    """Tasks of the given chapters: each titled paragraph (“标题。正文”) of a section, each
    专栏 box, and a section without titled paragraphs as one task."""
    rows: list[dict[str, str]] = []
    chapter = section = 0
    chapter_title = section_title = ""
    box_pending: tuple[int, str] | None = None
    paragraphs: list[str] = []
    pending_title_continuation = False

    def flush_section():
        nonlocal paragraphs
        if chapter in chapters and section and paragraphs:
            titled = []
            for p in paragraphs:
                head, sep, rest = p.partition("。")
                if sep and len(head) <= TASK_HEADING_MAX and rest.strip():
                    titled.append((head, rest.strip()))
            if not titled:
                titled = [(section_title, paragraphs[0])]
            for head, rest in titled:
                rows.append(_task_row(chapter, chapter_title, section, section_title, head, rest, False, rows))
        paragraphs = []

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("附件"):
            flush_section()
            break
        m = _CHAPTER_RE.match(line)
        if m:
            flush_section()
            chapter, chapter_title, section, section_title = _cn_number(m.group(1)), m.group(2).strip(), 0, ""
            continue
        m = _SECTION_RE.match(line)
        if m:
            flush_section()
            section, section_title = _cn_number(m.group(1)), m.group(2).strip()
            pending_title_continuation = True
            continue
        m = _BOX_RE.match(line)
        if m:
            box_pending = (int(m.group(1)), f"专栏{m.group(1)} {m.group(2).strip()}")
            pending_title_continuation = False
            continue
        if box_pending is not None:
            if chapter in chapters:
                rows.append(_task_row(chapter, chapter_title, 0, "", box_pending[1], line, True, rows))
            box_pending = None
            continue
        if pending_title_continuation and "。" not in line and len(line) <= 20:
            section_title = f"{section_title}{line}"  # a section title broken over two lines
            pending_title_continuation = False
            continue
        pending_title_continuation = False
        if section:
            paragraphs.append(line)
    flush_section()
    return rows


def _task_row(chapter, chapter_title, section, section_title, title, body, is_box, rows) -> dict[str, str]:
    seq = 1 + sum(1 for r in rows if r["chapter"] == str(chapter) and r["section"] == str(section))
    summary = body if len(body) <= SUMMARY_MAX else body[: SUMMARY_MAX - 1] + "…"
    return {
        "chapter": str(chapter),
        "chapter_title": chapter_title,
        "section": str(section),
        "section_title": section_title,
        "seq": str(seq),
        "title": title,
        "summary": summary,
        "is_box": "1" if is_box else "0",
    }


TASK_COLUMNS = ["chapter", "chapter_title", "section", "section_title", "seq", "title", "summary", "is_box"]


def write_tasks_csv(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=TASK_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

"""Loading a plan from its data folder: every row, the rules read right, idempotent, and a
second plan in another folder without a code change."""

from __future__ import annotations

import shutil
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from minzheng.core.models import AuditEvent
from minzheng.planning.enums import Attribute, Direction, IndicatorKind, TargetRule
from minzheng.planning.loader import DEFAULT_PLAN_DIR, extract_tasks, load_plan
from minzheng.planning.models import Indicator, IndicatorValue, KeyProject, Plan, PlanTask


def test_loads_the_2021_2025_plan(plan):
    assert plan.title.startswith("重庆市涪陵区民政事业发展")
    assert plan.document_number == "涪陵府发〔2022〕27号"
    assert (plan.baseline_year, plan.start_year, plan.end_year, plan.midterm_year) == (2020, 2021, 2025, 2023)
    assert plan.indicators.filter(kind=IndicatorKind.MAIN).count() == 19
    assert plan.indicators.filter(kind=IndicatorKind.OTHER).count() == 32
    assert plan.projects.count() == 24
    assert plan.chapters.count() == 5
    assert plan.tasks.count() == 74
    assert plan.tasks.filter(is_box=True).count() == 5  # 专栏2–6


def test_target_rules_are_read_from_the_table(indicator):
    growth = indicator("1")
    assert growth.target_rule == TargetRule.GROWTH_VS_REFERENCE
    assert growth.target_value is None and growth.reference_series.code == "prev_year_consumption_growth"
    assert growth.baseline_value is None and growth.baseline_text == "—"
    ratio = indicator("2")
    assert (ratio.baseline_value, ratio.target_value, ratio.target_rule) == (Decimal(80), Decimal(85), TargetRule.AT_LEAST)
    assert ratio.attribute == Attribute.EXPECTED and ratio.direction == Direction.UP
    subsidy = indicator("3")
    assert subsidy.target_rule == TargetRule.EQUAL and subsidy.attribute == Attribute.BINDING
    assert subsidy.direction == Direction.HOLD
    beds = indicator("16")
    assert (beds.baseline_value, beds.baseline_year, beds.target_value, beds.target_year) == (
        Decimal(5108), 2020, Decimal(8000), 2025
    )
    assert beds.computation == "eldercare_beds_total" and beds.responsible_section == "养老服务科"
    assert indicator("7").computation == "socialwork_professionals"
    assert indicator("O31").computation == ""  # entered by hand


def test_other_targets_that_repeat_a_main_indicator_show_its_values(indicator):
    assert indicator("O20").mirror_of.code == "13"  # 火化区人口占比
    assert indicator("O28").mirror_of.code == "16"
    assert indicator("O21").name == "街道养老服务中心" and indicator("O21").target_value == Decimal(11)
    assert indicator("O32").computation == "eldercare_assessment_coverage_80"


def test_projects_keep_investment_in_wan_yuan_and_their_town(plan):
    qingxi = KeyProject.objects.get(plan=plan, name="清溪特困供养设施项目")
    assert qingxi.investment_wan == Decimal("2875") and qingxi.division_code == "500102120"
    assert (qingxi.start_year, qingxi.end_year) == (2022, 2023)
    assert KeyProject.objects.get(plan=plan, name="全区乡镇（街道）界线勘定").division_code == "500102"
    # “罗云坝社区2组” names a community, not its town: found through the village.
    assert KeyProject.objects.get(plan=plan, name="罗云特困供养设施项目").division_code == "500102131"
    assert sum(p.investment_wan for p in plan.projects.all()) == Decimal("157355")  # 24 rows of the annex, added by hand


def test_loading_again_changes_nothing_and_keeps_values(plan, indicator, system_actor):
    IndicatorValue.objects.create(
        indicator=indicator("5"), year=2023, division_code="500102", value=140, source="manual", as_of=timezone.now()
    )
    summary = load_plan()
    assert summary.created == 0 and summary.updated > 0
    assert Plan.objects.count() == 1 and Indicator.objects.count() == 51 and PlanTask.objects.count() == 74
    assert IndicatorValue.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="plan", action="import").count() == 2


def test_a_second_plan_loads_from_its_own_folder(plan, tmp_path):
    folder = tmp_path / "2026-2030"
    shutil.copytree(DEFAULT_PLAN_DIR, folder)
    meta = (folder / "plan.yaml").read_text(encoding="utf-8")
    meta = meta.replace('code: "2021-2025"', 'code: "2026-2030"').replace("baseline_year: 2020", "baseline_year: 2025")
    meta = meta.replace("start_year: 2021", "start_year: 2026").replace("end_year: 2025", "end_year: 2030")
    meta = meta.replace("midterm_year: 2023", "midterm_year: 2028").replace("“十四五”", "“十五五”")
    (folder / "plan.yaml").write_text(meta, encoding="utf-8")
    (folder / "indicators.csv").write_text(
        "code,name,unit,baseline_2020,target_2025,target_rule,attribute,source\n"
        "1,养老服务床位总量,张,8000,9500,>=,预期性,专栏1\n",
        encoding="utf-8",
    )
    (folder / "other_targets.csv").write_text("area,target,value_2025,unit,source\n", encoding="utf-8")
    load_plan(folder)
    second = Plan.objects.get(code="2026-2030")
    beds = second.indicators.get(code="1")
    assert (beds.baseline_year, beds.target_year, beds.target_value) == (2025, 2030, Decimal(9500))
    assert plan.indicators.count() == 51  # the first plan is untouched


SAMPLE = """
第二章 全面夯实基本民生保障体系

第一节 持续巩固拓展脱贫攻坚兜底保障成果

同乡村振兴有效衔接

巩固拓展脱贫攻坚兜底保障成果。严格按照中央“四个不摘”工作要求。

着力助推乡村振兴。推进社会救助制度城乡统筹发展。

专栏2 社会救助提质增效工程
	进一步深化“一门受理、协同办理”社会救助综合改革。

第六章 强化规划实施保障

第一节 加强组织领导

全区民政系统要深入学习贯彻习近平新时代中国特色社会主义思想，增强“四个意识”。

附件：重点项目表
"""


def test_tasks_are_titled_paragraphs_boxes_and_untitled_sections():
    rows = extract_tasks(SAMPLE, {2, 6})
    assert [(r["chapter"], r["section"], r["title"]) for r in rows] == [
        ("2", "0", "专栏2 社会救助提质增效工程"),
        ("2", "1", "巩固拓展脱贫攻坚兜底保障成果"),
        ("2", "1", "着力助推乡村振兴"),
        ("6", "1", "加强组织领导"),
    ]
    assert rows[1]["section_title"] == "持续巩固拓展脱贫攻坚兜底保障成果同乡村振兴有效衔接"
    assert rows[0]["is_box"] == "1"


def test_the_commands_load_and_recompute(db, capsys):
    call_command("planning", "load")
    assert "主要指标 19，其他量化目标 32，重点项目 24" in capsys.readouterr().out
    call_command("planning", "recompute", "--year", "2023")
    out = capsys.readouterr().out
    # indicator 2: 12 month ends + the year; indicator 1: the year; indicator 11 (dated stations,
    # none registered: 0 of 27): each town and the district; indicator 5 (outlets open at the
    # year end): each town and the district, and the lottery's O04 and O05: the district (+30)
    assert "2021-2025 规划 2023 年度：新增 72" in out
    assert "跳过 disability_subsidy_coverage" in out  # no screening run in 2023
    call_command("planning", "computations")
    assert "disability_subsidy_coverage" in capsys.readouterr().out

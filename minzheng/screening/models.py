"""Whole-district screening: runs, their results, per-village summaries, discrepancies
against current enrolments, and the deliberate errors seeded into synthetic enrolments.

Results are a snapshot of a run: registry and enrolment ids are stored as plain integers,
not foreign keys, so that a stored run never blocks regenerating or correcting the registry.
Every scoped row carries the 12-digit code of its village (`division_code`) and is read
through `visible_to(actor)` (accounts/scoping.py).
"""

from __future__ import annotations

from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet


class DiscrepancyKind(models.TextChoices):
    MISSED = "missed", "疑似漏保"
    INELIGIBLE = "ineligible", "疑似错保"
    AMOUNT_DIFFERS = "amount_differs", "金额不符"
    DECEASED_ENROLLED = "deceased_enrolled", "死亡仍在保"
    DOUBLE_ENROLMENT = "double_enrolment", "重复保障"


class SubjectKind(models.TextChoices):
    HOUSEHOLD = "household", "家庭"
    PERSON = "person", "个人"


class ScreeningRun(models.Model):
    """One screening of one period. A rerun of the same period replaces the results of the
    earlier run (whose row stays, `is_current=False`, as history of who ran what when)."""

    period = models.CharField("核算期", max_length=7, db_index=True)
    is_current = models.BooleanField("本期当前结果", default=False)
    # "" = the whole district (the only kind of run so far; planning reads those).
    division_prefix = models.CharField("筛查范围", max_length=12, blank=True)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间")
    seconds = models.FloatField("用时（秒）", default=0)
    timings = models.JSONField("各阶段用时", default=dict, blank=True)
    parameters = models.JSONField("使用的参数值", default=dict, blank=True)
    counts = models.JSONField("统计", default=dict, blank=True)
    provisional = models.BooleanField("使用了待确认参数", default=False)
    started_by = models.CharField("执行人", max_length=150, blank=True)
    actor_kind = models.CharField("执行主体", max_length=16, default="user")  # user | system
    # Incremental screening (screening.refresh): the registry changes the stored results
    # include (registry.snapshot.ChangeMark), and the state file the next refresh starts from.
    change_mark = models.BigIntegerField("已包含的登记变更编号", null=True, blank=True)
    window_start = models.DateTimeField("在途事务起点", null=True, blank=True)
    state_token = models.CharField("增量状态标识", max_length=32, blank=True)
    refreshes = models.IntegerField("增量更新次数", default=0)
    refreshed_at = models.DateTimeField("最近增量更新", null=True, blank=True)

    class Meta:
        verbose_name = "筛查批次"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.period} 筛查（{self.pk}）"


class ScreeningResult(models.Model):
    """One (program, subject) of a run that is eligible, or enrolled (then possibly not
    eligible). The ineligible and not-enrolled rest is only counted (ScreeningSummary)."""

    # No index of its own: the two (run, …) indexes below serve every lookup by run, and a
    # third index was a third b-tree to fill for each of the run's rows. No database
    # constraint either: the rows are written only by do_run_screening, in the transaction
    # that creates their run, and by do_refresh_screening under a lock on that run; a deferred
    # foreign-key check per row cost 4.3 s at the commit of a scale-10 run (1.0 M rows;
    # docs/performance.md). Runs are never deleted; were they, it must be through the ORM,
    # whose CASCADE removes the results. On PostgreSQL the table is list-partitioned by run
    # (migration 0005, core.partitions): one partition per run, dropped when it is replaced.
    run = models.ForeignKey(
        ScreeningRun, on_delete=models.CASCADE, related_name="results", db_index=False, db_constraint=False
    )
    program = models.CharField("救助项目", max_length=32)
    subject_kind = models.CharField("对象类型", max_length=10, choices=SubjectKind.choices)
    household_id = models.BigIntegerField("家庭编号")
    person_id = models.BigIntegerField("人员编号", null=True, blank=True)
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    eligible = models.BooleanField("符合条件")
    amount_fen = models.BigIntegerField("应发金额（分/月）")
    enrolled = models.BooleanField("在保", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "筛查结果"
        # Reads are "this run, under this division" (scoped); an incremental refresh replaces
        # "this run, these households". Each index costs the bulk write of ~100,000 rows a
        # full run at scale 1.0 (docs/performance.md has the figure).
        indexes = [
            models.Index(fields=["run", "division_code"], name="screen_result_div_idx"),
            models.Index(fields=["run", "household_id"], name="screen_result_household_idx"),
        ]


class ScreeningSummary(models.Model):
    """Per village and program: subjects evaluated, eligible, people covered, monthly amount."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="summaries")
    division_code = models.CharField("村（社区）代码", max_length=12)
    program = models.CharField("救助项目", max_length=32)
    evaluated = models.IntegerField("筛查对象数")
    eligible = models.IntegerField("符合条件对象数")
    people = models.IntegerField("覆盖人数")
    amount_fen = models.BigIntegerField("月应发金额（分）")
    enrolled = models.IntegerField("在保对象数", default=0)
    enrolled_amount_fen = models.BigIntegerField("在保月发放金额（分）", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "筛查汇总"
        indexes = [models.Index(fields=["run", "division_code"], name="screen_summary_div_idx")]


class Discrepancy(models.Model):
    """A difference between the rules and the current enrolments, found by a run."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="discrepancies")
    kind = models.CharField("类型", max_length=20, choices=DiscrepancyKind.choices)
    program = models.CharField("救助项目", max_length=32)
    subject_kind = models.CharField("对象类型", max_length=10, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField("对象编号")
    household_id = models.BigIntegerField("家庭编号", null=True, blank=True)
    person_id = models.BigIntegerField("人员编号", null=True, blank=True)
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    expected_amount_fen = models.BigIntegerField("按规则应发（分/月）", null=True, blank=True)
    actual_amount_fen = models.BigIntegerField("实际发放（分/月）", null=True, blank=True)
    enrolment_id = models.BigIntegerField("保障记录编号", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "筛查疑点"
        indexes = [
            models.Index(fields=["run", "division_code"], name="screen_disc_div_idx"),
            models.Index(fields=["run", "kind", "program"], name="screen_disc_kind_idx"),
        ]


class SeededError(models.Model):
    """A deliberate error put into the synthetic enrolments (never into real data), so that a
    test — and a demo user — can check that screening finds it."""

    period = models.CharField("核算期", max_length=7)
    seed = models.BigIntegerField("随机种子")
    kind = models.CharField("类型", max_length=20, choices=DiscrepancyKind.choices)
    program = models.CharField("救助项目", max_length=32)
    subject_kind = models.CharField("对象类型", max_length=10, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField("对象编号")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    enrolment_id = models.BigIntegerField("保障记录编号", null=True, blank=True)
    expected_amount_fen = models.BigIntegerField("按规则应发（分/月）", null=True, blank=True)
    actual_amount_fen = models.BigIntegerField("实际发放（分/月）", null=True, blank=True)
    created_at = models.DateTimeField("写入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预置差错"
        indexes = [models.Index(fields=["division_code"], name="seeded_error_div_idx")]

"""Point 4 (the district's annual figures) and point 5 (CPI → 价格临时补贴 batch)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.assistance import payroll
from minzheng.assistance.models import Payment, PaymentBatch
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.lowincome import actions, selectors
from minzheng.lowincome.models import DistrictFigure, PriceIndexMonth
from minzheng.rules import ParameterNotSet, load_parameters

INCOME = "district.per_capita_disposable_income_prev_year"


@pytest.mark.django_db
def test_district_figure_becomes_a_dated_cited_parameter(staff):
    assert selectors.missing_district_figures() == ["居民人均可支配收入", "居民人均消费支出"]
    with pytest.raises(ParameterNotSet):
        load_parameters().value_at(INCOME, "2026-12")
    figure = actions.do_enter_district_figure(
        staff.district, parameter=INCOME, year=2025, value="45123.50",
        document_number="涪陵区2025年国民经济和社会发展统计公报", document_date=dt.date(2026, 3, 20),
    )
    assert figure.value_fen == 4_512_350 and figure.effective_from == dt.date(2026, 1, 1)
    found = load_parameters().value_at(INCOME, "2026-12")
    assert found.value == Decimal("45123.50")
    assert found.effective_from == dt.date(2026, 1, 1)
    assert found.reference == "涪陵区2025年国民经济和社会发展统计公报（2026-03-20发布，2025年统计数据，区民政局录入）"
    assert found.provisional is False
    assert load_parameters().find(INCOME, dt.date(2025, 12, 1)) is None  # not before its year
    assert selectors.missing_district_figures() == ["居民人均消费支出"]
    # a second entry for the year is a correction: it needs a reason, and supersedes the first
    with pytest.raises(ValidationFailed) as e:
        actions.do_enter_district_figure(
            staff.district, parameter=INCOME, year=2025, value="45200", document_number="更正", document_date=dt.date(2026, 4, 1)
        )
    assert "更正说明" in e.value.errors["correction_reason"]
    actions.do_enter_district_figure(
        staff.district, parameter=INCOME, year=2025, value="45200", document_number="涪统发〔2026〕5号",
        document_date=dt.date(2026, 4, 1), correction_reason="统计局更正公报数据",
    )
    assert load_parameters().value_at(INCOME, "2026-12").value == Decimal("45200.00")
    assert DistrictFigure.objects.filter(superseded=True).count() == 1


@pytest.mark.django_db
def test_bad_district_figure_names_every_field_and_writes_nothing(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_enter_district_figure(
            staff.district, parameter=INCOME, year=2030, value="-5", document_number=" ", document_date="2026-13-01"
        )
    assert e.value.errors == {
        "year": "统计年度应为2017年至2025年之间的年份",
        "value": "居民人均可支配收入（元/人·年）应为大于0且不超过1000000的金额，最多两位小数",
        "document_number": "请填写发布该数据的文件文号",
        "document_date": "请填写文件发布日期（年-月-日）",
    }
    assert DistrictFigure.objects.count() == 0


@pytest.mark.django_db
def test_only_the_district_enters_figures(staff):
    for actor in (staff.town, staff.village, staff.zx_town):
        with pytest.raises(PermissionDenied):
            actions.do_enter_district_figure(
                actor, parameter=INCOME, year=2025, value="45000", document_number="x", document_date=dt.date(2026, 3, 1)
            )
    assert DistrictFigure.objects.count() == 0


@pytest.mark.django_db
def test_cpi_of_minus_300_percent_is_refused_naming_the_field(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_price_index(staff.district, period="2026-11", cpi_yoy="-300", food_cpi_yoy="2", source="市统计局")
    assert e.value.errors == {"cpi_yoy": "居民消费价格指数（CPI）同比涨幅应在 -50% 至 100% 之间（填写的是 -300%）"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_price_index(staff.district, period="2026-1", cpi_yoy="abc", food_cpi_yoy="1.234", source="")
    assert e.value.errors == {
        "period": "指数月份格式应为 YYYY-MM",
        "cpi_yoy": "居民消费价格指数（CPI）同比涨幅应为数字（百分数，如 3.5）",
        "food_cpi_yoy": "食品价格指数同比涨幅最多两位小数",
        "source": "请填写数据来源（如：重庆市统计局 2026年11月居民消费价格数据）",
    }
    assert PriceIndexMonth.objects.count() == 0 and PaymentBatch.objects.count() == 0


@pytest.mark.django_db
def test_month_under_the_trigger_pays_nothing(staff):
    record = actions.do_record_price_index(staff.district, period="2026-11", cpi_yoy="2.0", food_cpi_yoy="5.9", source="市统计局")
    assert record.triggered is False and record.urban_amount_fen == 0
    with pytest.raises(DomainError) as e:
        actions.do_prepare_price_subsidy_batch(staff.district, period="2026-11")
    assert e.value.message == "2026-11物价指数未达到联动机制启动条件，不发放价格临时补贴"
    assert PaymentBatch.objects.count() == 0


@pytest.mark.django_db
def test_cpi_over_the_trigger_gives_one_batch_however_often_it_runs(staff, make_household, make_person, enrol):
    family = make_household("500102006001", names=("甲", "乙", "丙"))  # 3 people, urban dibao
    enrol("dibao", household=family, zone="urban", amount_fen=90_000)
    lone = make_person("500102119001", "丁")  # 特困, rural
    enrol("tekun", person=lone, zone="rural", amount_fen=80_000)
    record = actions.do_record_price_index(
        staff.district, period="2026-11", cpi_yoy="4.0", food_cpi_yoy="2.0", source="重庆市统计局 2026年11月居民消费价格数据"
    )
    # CPI 4.0 % ≥ 3.5 %: urban 770 × 4 % = 30.80 yuan, rural 630 × 4 % = 25.20 yuan a person
    assert (record.triggered, record.triggered_by, record.applied_rise) == (True, ["cpi"], "4.0")
    assert (record.urban_amount_fen, record.rural_amount_fen) == (3080, 2520)
    first = actions.do_prepare_price_subsidy_batch(staff.district, period="2026-11")
    second = actions.do_prepare_price_subsidy_batch(staff.district, period="2026-11")
    assert first.batch_id == second.batch_id
    assert PaymentBatch.objects.filter(program="price_subsidy", period="2026-11").count() == 1
    batch = PaymentBatch.objects.get(pk=first.batch_id)
    assert (batch.payment_count, batch.people_count, batch.total_fen, batch.run_count) == (2, 4, 3 * 3080 + 2520, 2)
    assert sorted(Payment.objects.filter(batch=batch).values_list("amount_fen", flat=True)) == [2520, 9240]
    # maker-checker of the payroll: the preparer cannot approve; another district user can
    with pytest.raises(PermissionDenied):
        payroll.do_approve_batch(staff.district, batch, expected_version=batch.version)
    payroll.do_approve_batch(staff.district2, batch, expected_version=batch.version)
    third = actions.do_prepare_price_subsidy_batch(staff.district, period="2026-11")
    assert third.unchanged_rerun and third.batch_id == batch.pk and third.total_fen == 11_760
    _content, count = payroll.bank_file(staff.district2, PaymentBatch.objects.get(pk=batch.pk))
    assert count == 2
    # an approved month's indices can no longer change
    with pytest.raises(DomainError):
        actions.do_record_price_index(staff.district, period="2026-11", cpi_yoy="5", food_cpi_yoy="2", source="更正")
    # the ordinary payroll run refuses the program (its amounts come from the month's indices)
    with pytest.raises(ValidationFailed):
        payroll.run_payroll(staff.district, program="price_subsidy", period="2026-11")


@pytest.mark.django_db
def test_price_index_is_the_districts(staff):
    with pytest.raises(PermissionDenied):
        actions.do_record_price_index(staff.town, period="2026-11", cpi_yoy="4", food_cpi_yoy="2", source="x")
    with pytest.raises(PermissionDenied):
        actions.do_prepare_price_subsidy_batch(staff.zx_town, period="2026-11")
    assert PriceIndexMonth.objects.count() == 0


class _Crash(Exception):
    pass


@pytest.mark.parametrize("step", ["after_the_batch_row", "after_the_payments", "before_the_audit"])
@pytest.mark.django_db(transaction=True)
def test_a_price_subsidy_batch_interrupted_at_any_step_leaves_nothing(staff, make_household, enrol, monkeypatch, step):
    """The 价格临时补贴 batch goes through the payroll's one transaction: a crash between any two
    steps leaves no batch and no payment; the next run prepares the month once."""
    family = make_household("500102006001", names=("甲", "乙", "丙"))
    enrol("dibao", household=family, zone="urban", amount_fen=90_000)
    actions.do_record_price_index(staff.district, period="2026-11", cpi_yoy="4.0", food_cpi_yoy="2.0", source="重庆市统计局")
    name = {"after_the_batch_row": "_get_or_create_batch", "after_the_payments": "out_of_bounds", "before_the_audit": "record_audit_event"}[step]
    real = getattr(payroll, name)

    def crash(*args, **kwargs):
        real(*args, **kwargs)
        raise _Crash(step)

    monkeypatch.setattr(payroll, name, crash)
    with pytest.raises(_Crash):
        actions.do_prepare_price_subsidy_batch(staff.district, period="2026-11")
    monkeypatch.setattr(payroll, name, real)
    assert (PaymentBatch.objects.filter(program="price_subsidy").count(), Payment.objects.filter(program="price_subsidy").count()) == (0, 0)
    summary = actions.do_prepare_price_subsidy_batch(staff.district, period="2026-11")
    batch = PaymentBatch.objects.get(pk=summary.batch_id)
    assert (batch.payment_count, batch.total_fen, batch.run_count) == (1, 3 * 3080, 1)

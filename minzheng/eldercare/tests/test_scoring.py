"""GB/T 42195-2022 scoring: every level boundary and every adjustment."""

from __future__ import annotations

import pytest

from minzheng.eldercare.scoring import ITEMS, MAX_TOTAL, ScoringInputError, level_for_total, score
from minzheng.eldercare.tests.helpers import full_marks, items_with_total


def test_the_standard_has_26_items_in_4_dimensions_totalling_90():
    assert len(ITEMS) == 26
    assert MAX_TOTAL == 90
    by_dim = {}
    for item in ITEMS:
        by_dim[item.dimension] = by_dim.get(item.dimension, 0) + item.max_score
    assert by_dim == {"self_care": 32, "mobility": 15, "mental": 28, "perception_social": 15}


@pytest.mark.parametrize(
    ("total", "level"),
    [
        pytest.param(90, "intact", id="90_intact"),
        pytest.param(89, "mild", id="89_mild"),
        pytest.param(66, "mild", id="66_mild"),
        pytest.param(65, "moderate", id="65_moderate"),
        pytest.param(46, "moderate", id="46_moderate"),
        pytest.param(45, "severe", id="45_severe"),
        pytest.param(30, "severe", id="30_severe"),
        pytest.param(29, "complete", id="29_complete"),
        pytest.param(0, "complete", id="0_complete"),
    ],
)
def test_level_at_each_boundary(total, level):
    result = score(items_with_total(total))
    assert result.total == total
    assert result.preliminary_level == level
    assert result.final_level == level
    assert result.adjustments == ()
    assert level_for_total(total) == level


def test_hand_worked_example_of_a_mildly_impaired_person():
    # Needs help bathing (2) and with stairs (1), some memory loss (2), hearing aid (1), no bus alone (1):
    items = full_marks() | {"bathing": 2, "stairs": 1, "memory": 2, "hearing": 1, "transport": 1}
    result = score(items)
    assert result.dimension_scores == {"self_care": 30, "mobility": 13, "mental": 26, "perception_social": 12}
    assert result.total == 81
    assert result.final_level == "mild"
    assert result.final_label == "能力轻度受损（轻度失能）"


def test_coma_means_complete_loss_whatever_the_total():
    result = score(items_with_total(90), coma=True)
    assert result.preliminary_level == "intact"
    assert result.final_level == "complete"


def test_dementia_raises_one_level():
    result = score(items_with_total(70), dementia_or_mental_disorder=True)
    assert (result.preliminary_level, result.final_level) == ("mild", "moderate")


def test_two_risk_events_in_30_days_raise_one_level():
    result = score(items_with_total(50), risk_events_30d=2)
    assert (result.preliminary_level, result.final_level) == ("moderate", "severe")


def test_one_risk_event_does_not_raise():
    result = score(items_with_total(50), risk_events_30d=1)
    assert result.final_level == "moderate"


def test_dementia_and_risk_events_together_raise_two_levels():
    result = score(items_with_total(90), dementia_or_mental_disorder=True, risk_events_30d=3)
    assert (result.preliminary_level, result.final_level) == ("intact", "moderate")
    assert len(result.adjustments) == 2


def test_raises_stop_at_complete_loss():
    result = score(items_with_total(35), dementia_or_mental_disorder=True, risk_events_30d=2)
    assert (result.preliminary_level, result.final_level) == ("severe", "complete")
    result = score(items_with_total(10), dementia_or_mental_disorder=True, risk_events_30d=5)
    assert (result.preliminary_level, result.final_level) == ("complete", "complete")


def test_every_missing_and_out_of_range_item_is_named():
    items = full_marks()
    del items["eating"]
    del items["social_interaction"]
    items["stairs"] = 4  # range 0–3
    items["aggression"] = -1
    items["vision"] = "good"
    items["smell"] = 2
    with pytest.raises(ScoringInputError) as exc:
        score(items)
    assert set(exc.value.errors) == {
        "items.eating",
        "items.social_interaction",
        "items.stairs",
        "items.aggression",
        "items.vision",
        "items.smell",
    }
    assert "超出范围 0–3" in exc.value.errors["items.stairs"]


def test_negative_risk_event_count_is_refused():
    with pytest.raises(ScoringInputError) as exc:
        score(full_marks(), risk_events_30d=-1)
    assert "risk_events_30d" in exc.value.errors

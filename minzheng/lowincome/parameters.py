"""The district's annual figures as rules parameters.

District staff enter each figure once a year with its document (``actions.do_enter_district_figure``);
the rules engine reads the shipped YAML tree plus these rows through the supplier registered
here (``minzheng.rules.register_parameter_supplier``): every ``load_parameters()`` — screening,
the household "why" panel, casework — sees them as dated, cited values.

A figure for statistical year Y is the "previous year's" figure during year Y+1: in force from
1 January of Y+1 until the next year's figure.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError

from minzheng.core.money import fen_to_yuan
from minzheng.lowincome.models import DistrictFigure
from minzheng.rules import ParameterValue, register_parameter_supplier

logger = logging.getLogger(__name__)


def effective_from(year: int) -> dt.date:
    return dt.date(year + 1, 1, 1)


def reference_of(document_number: str, document_date: dt.date, year: int) -> str:
    return f"{document_number}（{document_date:%Y-%m-%d}发布，{year}年统计数据，区民政局录入）"


def entered_values() -> tuple[tuple[str, ParameterValue], ...]:
    """(parameter name, dated value) of every current district figure — one small query."""
    try:
        rows = list(
            DistrictFigure.objects.filter(superseded=False)
            .order_by("parameter", "year")
            .values_list("parameter", "year", "value_fen", "document_number", "document_date")
        )
    except (DatabaseError, RuntimeError) as exc:  # no database here (pure rules tests, before migrate)
        logger.debug("district figures not read: %s", exc)
        return ()
    return tuple(
        (
            name,
            ParameterValue(
                value=fen_to_yuan(value_fen),
                reference=reference_of(number, date, year),
                provisional=False,
                effective_from=effective_from(year),
            ),
        )
        for name, year, value_fen, number, date in rows
    )


def register() -> None:
    register_parameter_supplier(entered_values)

"""Shared plumbing of the single-request functions (临时救助, 价格临时补贴): validating the
request and evaluating its one program with explanations."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from minzheng.rules.engine.explain import case_evaluator
from minzheng.rules.engine.expressions import Variable
from minzheng.rules.engine.model import Program
from minzheng.rules.engine.parameters import ParameterSet, load_parameters
from minzheng.rules.engine.periods import Period
from minzheng.rules.engine.python_backend import request_scope
from minzheng.rules.facts import FactsValidationError, ErrorCollector, read_period


def validate_period(period: Any, parameters: ParameterSet, errors: ErrorCollector) -> Period | None:
    if isinstance(period, Period):
        if not parameters.covers(period):
            return read_period(str(period), "period", parameters, errors)
        return period
    return read_period(period, "period", parameters, errors)


def evaluate_request(
    program: Program,
    period: Period,
    facts: dict[str, Any],
    parameters: ParameterSet,
    extra_variables: dict[str, Variable],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Explain the program for one request; also return the raw values of ``extra_variables``."""
    evaluator = case_evaluator(parameters, period, program.name, [program])
    scope = request_scope(SimpleNamespace(**facts))
    used: set = set()
    result = evaluator.evaluate(program.name, scope, "request", used)
    extras = {}
    for key, variable in extra_variables.items():
        extras[key] = evaluator.compiler.variable(variable)(scope, used)
    result["period"] = str(period)
    result["parameters"] = evaluator.describe_parameters(used)
    return result, extras


def start(parameters: ParameterSet | None) -> tuple[ParameterSet, ErrorCollector]:
    return parameters or load_parameters(), ErrorCollector()


def raise_if_invalid(errors: ErrorCollector) -> None:
    if errors.errors:
        raise FactsValidationError(errors.errors)

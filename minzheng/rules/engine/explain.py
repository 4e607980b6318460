"""Per-case evaluation with explanations: each condition's value, threshold, verdict, and the
references and provisional flags of exactly the parameters its verdict depended on.

A ``CaseEvaluator`` holds the closures compiled for one (parameter set, period) and is cached
on the parameter set, so a household costs only the closures and the formatting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from minzheng.rules.engine.expressions import Expr, TypeChecker
from minzheng.rules.engine.model import Condition, Program
from minzheng.core.money import decimal_text
from minzheng.rules.engine.parameters import ParameterSet, ParameterValue
from minzheng.rules.engine.periods import Period
from minzheng.rules.engine.python_backend import MISSING_FACT_PREFIX, Closure, PythonCompiler, Scope
from minzheng.rules.engine.types import ValueType

MISSING_PARAMETER_LABEL = "参数未设置"
UNDECIDED_LABEL = "无法判定：缺少事实"


def missing_facts_note(labels: Iterable[str]) -> str:
    """「无法判定：缺少事实“近12个月刚性支出”」 — what a screen shows for an absent optional fact."""
    return UNDECIDED_LABEL + "、".join(f"“{label}”" for label in labels)
PROVISIONAL_LABEL = "参数待确认"
REFERENCE_SEPARATOR = "；"


def type_checker(parameters: ParameterSet) -> TypeChecker:
    cached = parameters.compiled_cache.get("type_checker")
    if cached is None:
        cached = TypeChecker(parameters.value_type)
        parameters.compiled_cache["type_checker"] = cached
    return cached


def format_value(value: Any, value_type: ValueType) -> Any:
    """JSON form of a value: money as a 2-place string, ratios as strings, the rest as is."""
    if value is None:
        return None
    if value_type == ValueType.MONEY:
        return decimal_text(value)
    if value_type == ValueType.NUMBER:
        return str(value)
    return value


def format_parameter(value: ParameterValue, value_type: ValueType) -> dict[str, Any]:
    return {
        "value": format_value(value.value, value_type),
        "reference": value.reference,
        "provisional": value.provisional,
        "effective_from": value.effective_from.isoformat() if value.effective_from else None,
        "simulated": value.simulated,
    }


@dataclass(frozen=True, slots=True)
class _Citation:
    reference: str | None
    provisional: bool
    missing: tuple[str, ...]
    names: tuple[str, ...]
    missing_facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _CompiledCondition:
    condition: Condition
    verdict: Closure
    show_value: Callable[[Scope], Any]
    show_threshold: Callable[[Scope], Any]


@dataclass(frozen=True, slots=True)
class CompiledProgram:
    program: Program
    conditions: tuple[_CompiledCondition, ...]
    details: tuple[_CompiledCondition, ...]
    eligible: Closure
    amount_formula: Closure
    amount: Closure


class CaseEvaluator:
    def __init__(self, parameters: ParameterSet, period: Period, programs: Iterable[Program]):
        self.parameters = parameters
        self.period = period
        self.checker = type_checker(parameters)
        self.compiler = PythonCompiler(parameters, period, self.checker)
        self.programs = {program.name: self._compile_program(program) for program in programs}
        self._citations: dict[frozenset, _Citation] = {}

    # -- compilation -------------------------------------------------------------------------------
    def _shower(self, expr: Expr | tuple | None) -> Callable[[Scope], Any]:
        if expr is None:
            return lambda scope: None
        if isinstance(expr, tuple):
            low, high = (self._shower(part) for part in expr)
            return lambda scope: {"min": low(scope), "max": high(scope)}
        closure = self.compiler.compile(expr)
        value_type = self.checker.type_of(expr)
        return lambda scope: format_value(closure(scope, set()), value_type)

    def _compile_condition(self, program: Program, condition: Condition) -> _CompiledCondition:
        return _CompiledCondition(
            condition,
            self.compiler.variable(program.condition_variables[condition.code]),
            self._shower(condition.shown_value),
            self._shower(condition.shown_threshold),
        )

    def _compile_program(self, program: Program) -> CompiledProgram:
        return CompiledProgram(
            program,
            tuple(self._compile_condition(program, condition) for condition in program.conditions),
            tuple(self._compile_condition(program, condition) for condition in program.details),
            self.compiler.variable(program.eligible),
            self.compiler.variable(program.amount_formula),
            self.compiler.variable(program.amount),
        )

    # -- evaluation ----------------------------------------------------------------------------------
    def cite(self, used: Iterable[str]) -> _Citation:
        key = frozenset(used)
        citation = self._citations.get(key)
        if citation is None:
            facts = tuple(sorted(name[len(MISSING_FACT_PREFIX):] for name in key if name.startswith(MISSING_FACT_PREFIX)))
            values = {
                name: self.compiler.parameter(name) for name in sorted(key) if not name.startswith(MISSING_FACT_PREFIX)
            }
            references = []
            for value in values.values():
                if value is not None and value.reference not in references:
                    references.append(value.reference)
            citation = _Citation(
                REFERENCE_SEPARATOR.join(references) or None,
                any(value is not None and value.provisional for value in values.values()),
                tuple(name for name, value in values.items() if value is None),
                tuple(values),
                facts,
            )
            self._citations[key] = citation
        return citation

    def _explain(self, compiled: _CompiledCondition, scope: Scope, used_by_result: set) -> dict[str, Any]:
        used: set = set()
        verdict = compiled.verdict(scope, used)
        used_by_result.update(used)
        citation = self.cite(used)
        condition = compiled.condition
        # Missing: a parameter with no value in force, or an optional fact the input left out.
        missing_facts = list(citation.missing_facts) if verdict is None else []
        missing = verdict is None and (bool(citation.missing) or not missing_facts)
        explained = {
            "code": condition.code,
            "label": condition.label,
            "value": compiled.show_value(scope),
            "threshold": compiled.show_threshold(scope),
            "passed": verdict is True,
            "reference": citation.reference,
            "provisional": citation.provisional,
            "missing_parameter": missing,
            "parameters": list(citation.names),
        }
        if missing:
            explained["missing_parameters"] = list(citation.missing)
            explained["note"] = MISSING_PARAMETER_LABEL
        if missing_facts:
            explained["missing_facts"] = missing_facts
            explained["note"] = missing_facts_note(self.compiler.fact_labels[name] for name in missing_facts)
        return explained

    def evaluate(self, name: str, scope: Scope, subject: str, used_total: set | None = None) -> dict[str, Any]:
        """Explain one program for one subject; add the parameters read to ``used_total``."""
        compiled = self.programs[name]
        used: set = set()
        conditions = [self._explain(item, scope, used) for item in compiled.conditions]
        details = [self._explain(item, scope, used) for item in compiled.details]
        amount_used: set = set()
        eligible = compiled.eligible(scope, amount_used) is True
        amount = compiled.amount(scope, amount_used)
        formula_used: set = set()
        formula = compiled.amount_formula(scope, formula_used)
        if formula is None and all(condition["passed"] for condition in conditions):
            # Every condition passes but the amount cannot be computed: not eligible, and say why.
            used.update(formula_used)
            citation = self.cite(formula_used)
            conditions.append(
                {
                    "code": "amount_parameters_set",
                    "label": "待遇标准参数已设置",
                    "value": None,
                    "threshold": None,
                    "passed": False,
                    "reference": citation.reference,
                    "provisional": citation.provisional,
                    "missing_parameter": True,
                    "parameters": list(citation.names),
                    "missing_parameters": list(citation.missing),
                    "note": MISSING_PARAMETER_LABEL,
                }
            )
        # The amount's parameters count only when the amount was paid (``amount`` reads the
        # formula only if eligible): a refusal does not depend on a provisional amount.
        used.update(amount_used)
        if used_total is not None:
            used_total.update(used)
        result = {
            "program": name,
            "label": compiled.program.label,
            "subject": subject,
            "eligible": eligible,
            "amount": decimal_text(amount),
            "provisional": self.cite(used).provisional,
            "missing_parameter": any(c["missing_parameter"] for c in conditions),
            "conditions": conditions,
        }
        if details:
            result["details"] = details
        # Cannot be decided: no condition fails, and one could not be tested for want of an
        # optional fact (e.g. 刚性支出困难 without ``rigid_spending_12m``). Not eligible, and said so.
        missing_facts = sorted({name for c in conditions for name in c.get("missing_facts", ())})
        if missing_facts and not eligible and all(c["passed"] or c.get("missing_facts") or c["missing_parameter"] for c in conditions):
            result["undecided"] = True
            result["missing_facts"] = missing_facts
            result["note"] = missing_facts_note(self.compiler.fact_labels[name] for name in missing_facts)
        return result

    def describe_parameters(self, names: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The values of the named parameters for this period, as stored with a decision."""
        described = {}
        for name in sorted(n for n in names if not n.startswith(MISSING_FACT_PREFIX)):
            value = self.compiler.parameter(name)
            if value is None:
                described[name] = {"value": None, "reference": None, "provisional": False,
                                   "effective_from": None, "simulated": False, "note": MISSING_PARAMETER_LABEL}
            else:
                described[name] = format_parameter(value, self.parameters.value_type(name))
        return described


def case_evaluator(parameters: ParameterSet, period: Period, key: str, programs: Iterable[Program]) -> CaseEvaluator:
    """The cached evaluator for a parameter set, period and program group."""
    cache_key = ("case", key, period)
    evaluator = parameters.compiled_cache.get(cache_key)
    if evaluator is None:
        evaluator = CaseEvaluator(parameters, period, programs)
        parameters.compiled_cache[cache_key] = evaluator
    return evaluator

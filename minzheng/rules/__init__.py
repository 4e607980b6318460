"""The rules engine of minzheng: policy parameters, programs and their two evaluators.

Pure Python: imports no Django and no other minzheng app. Apps hand it plain facts
(``parse_household_facts``) or frames (``evaluate_batch``); see ``docs/rules.md``.
"""

from minzheng.rules.engine.parameters import (
    ParameterNotSet,
    ParameterSet,
    ParameterValue,
    UnknownParameter,
    load_parameters,
    register_parameter_supplier,
)
from minzheng.rules.engine.periods import Period
from minzheng.rules.evaluate import BatchResult, evaluate_batch, evaluate_batch_kept, evaluate_household
from minzheng.rules.facts import (
    FactsValidationError,
    HouseholdFacts,
    MemberFacts,
    household_facts_to_data,
    parse_household_facts,
)
from minzheng.rules.frames import (
    HOUSEHOLD_SCHEMA,
    MEMBER_SCHEMA,
    BatchInputError,
    facts_to_frames,
)
from minzheng.rules.programs import HOUSEHOLD_PROGRAMS, MEMBER_PROGRAMS, PROGRAMS
from minzheng.rules.programs.price_subsidy import price_subsidy
from minzheng.rules.programs.temporary_assistance import temporary_assistance

__all__ = [
    "HOUSEHOLD_PROGRAMS",
    "HOUSEHOLD_SCHEMA",
    "MEMBER_PROGRAMS",
    "MEMBER_SCHEMA",
    "PROGRAMS",
    "BatchInputError",
    "BatchResult",
    "FactsValidationError",
    "HouseholdFacts",
    "MemberFacts",
    "ParameterNotSet",
    "ParameterSet",
    "ParameterValue",
    "Period",
    "UnknownParameter",
    "evaluate_batch",
    "evaluate_batch_kept",
    "evaluate_household",
    "facts_to_frames",
    "household_facts_to_data",
    "load_parameters",
    "register_parameter_supplier",
    "parse_household_facts",
    "price_subsidy",
    "temporary_assistance",
]

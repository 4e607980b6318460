"""The program catalogue: every household and member program, in the order results are listed.

Each program is defined once (``engine.model.Program`` over the expression tree) and
evaluated by both the per-case and the batch evaluator.
"""

from minzheng.rules.engine.model import Program
from minzheng.rules.programs.children import defacto_child_allowance, orphan_allowance
from minzheng.rules.programs.dibao import dibao, dibao_addon
from minzheng.rules.programs.disability import disability_living_subsidy, severe_disability_care_subsidy
from minzheng.rules.programs.low_income import low_income_edge, rigid_spending_hardship
from minzheng.rules.programs.tekun import tekun

HOUSEHOLD_PROGRAMS: tuple[Program, ...] = (dibao, low_income_edge, rigid_spending_hardship)
MEMBER_PROGRAMS: tuple[Program, ...] = (
    dibao_addon,
    tekun,
    orphan_allowance,
    defacto_child_allowance,
    disability_living_subsidy,
    severe_disability_care_subsidy,
)
PROGRAMS: dict[str, Program] = {program.name: program for program in HOUSEHOLD_PROGRAMS + MEMBER_PROGRAMS}

__all__ = ["HOUSEHOLD_PROGRAMS", "MEMBER_PROGRAMS", "PROGRAMS"]

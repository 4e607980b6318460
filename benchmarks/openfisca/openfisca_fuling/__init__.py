"""A minimal OpenFisca country package with Chongqing's 低保, 特困 and the two disability
subsidies, written independently of minzheng's engine to compare the two (benchmark only;
OpenFisca is no dependency of the product).

Money is integer fen throughout (OpenFisca int variables); every division and every
multiplication by a non-integer rounds half-up to the fen, as minzheng's engine does
(docs/rules.md §2). Parameter values are copied by hand from minzheng/rules/parameters (the
benchmark checks they match).
"""

from __future__ import annotations

from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_fuling import variables
from openfisca_fuling.entities import entities

PARAMETERS = Path(__file__).parent / "parameters"


class FulingTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__(entities)
        for variable in variables.ALL:
            self.add_variable(variable)
        self.load_parameters(str(PARAMETERS))

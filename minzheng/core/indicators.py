"""The indicator registry: each service line declares the figures it computes for the plan.

A line's ``indicators.py`` calls ``register_indicator`` for each code from its
``AppConfig.ready()``; plan monitoring (``planning``) looks codes up here and never imports the
line. The registry lives in core because the lines sit below planning and may not import it.

    register_indicator("eldercare.plan_16_19", compute_indicators, label="养老服务主要指标（16–19）",
                       unit="", supports_coverage=True)

``compute`` is the line's own function; its arguments are those the code documents (the label
and the line's docstring say which). ``supports_coverage`` marks an elderly-care style source
that can leave out the expensive service-circle figure (``with_coverage=False``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IndicatorSource:
    code: str
    compute: Callable[..., Any]
    label: str
    unit: str = ""
    supports_coverage: bool = False


class IndicatorNotRegistered(LookupError):
    """No installed line declares the code (the line is not there yet)."""


_registry: dict[str, IndicatorSource] = {}


def register_indicator(
    code: str, compute: Callable[..., Any], *, label: str, unit: str = "", supports_coverage: bool = False
) -> IndicatorSource:
    """Declare the function that computes ``code``. Registering the same function again is a
    no-op (ready() may run twice in tests); another function for a taken code is an error."""
    source = IndicatorSource(code, compute, label, unit, supports_coverage)
    existing = _registry.get(code)
    if existing is not None and existing.compute is not compute:
        raise ValueError(f"indicator {code} is already registered by {existing.compute.__module__}")
    _registry[code] = source
    return source


def unregister_indicator(code: str) -> IndicatorSource | None:
    """Remove a code (tests that show planning without a line use this)."""
    return _registry.pop(code, None)


def get_indicator(code: str) -> IndicatorSource:
    try:
        return _registry[code]
    except KeyError:
        raise IndicatorNotRegistered(code) from None


def registered_indicators() -> dict[str, IndicatorSource]:
    return dict(_registry)

"""Timing of both evaluators on synthetic data.

    python -m minzheng.rules.bench --households 450000

Per case: median time of ``evaluate_household`` (full explanation) over generated households,
after one warm-up that compiles the period. Batch: ``evaluate_batch`` on vectorised synthetic
frames, first run (compiles the period) and a second run (compiled programs cached).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from typing import Any

from minzheng.rules.engine.parameters import load_parameters
from minzheng.rules.evaluate import evaluate_batch, evaluate_household
from minzheng.rules.facts import parse_household_facts
from minzheng.rules.synthetic import random_household_data, synthetic_frames


def measure_per_case(period: str, samples: int, seed: int = 1) -> dict[str, float]:
    parameters = load_parameters()
    rng = random.Random(seed)
    households = [parse_household_facts(random_household_data(rng, period, parameters)) for _ in range(samples)]
    evaluate_household(households[0], parameters=parameters)  # compile the period once
    timings = []
    for facts in households:
        started = time.perf_counter()
        evaluate_household(facts, parameters=parameters)
        timings.append(time.perf_counter() - started)
    members = statistics.mean(len(facts.members) for facts in households)
    return {
        "per_case_median_ms": statistics.median(timings) * 1000,
        "per_case_p95_ms": sorted(timings)[int(0.95 * len(timings))] * 1000,
        "per_case_mean_members": members,
    }


def measure_batch(households: int, period: str, seed: int = 7) -> dict[str, Any]:
    started = time.perf_counter()
    household_frame, member_frame = synthetic_frames(households, period, seed)
    generated = time.perf_counter() - started
    parameters = load_parameters()
    parameters.compiled_cache.pop(("batch", period), None)
    first = evaluate_batch(household_frame, member_frame, period, parameters=parameters)
    second = evaluate_batch(household_frame, member_frame, period, parameters=parameters)
    return {
        "households": household_frame.height,
        "members": member_frame.height,
        "result_rows": second.results.height,
        "generate_seconds": generated,
        "batch_first_seconds": first.seconds,
        "batch_cached_seconds": second.seconds,
    }


def run_benchmark(households: int = 450_000, period: str = "2024-10", samples: int = 500) -> dict[str, Any]:
    figures: dict[str, Any] = {"period": period, "cpu_count": os.cpu_count()}
    figures.update(measure_per_case(period, samples))
    figures.update(measure_batch(households, period))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=450_000)
    parser.add_argument("--period", default="2024-10")
    parser.add_argument("--samples", type=int, default=500, help="households timed one by one")
    arguments = parser.parse_args(argv)
    figures = run_benchmark(arguments.households, arguments.period, arguments.samples)
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key.ljust(width)}  {shown}")


if __name__ == "__main__":
    main()

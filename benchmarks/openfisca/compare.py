"""OpenFisca vs minzheng on the same district: timing and agreement (run by run.sh).

Reads what benchmarks/screening.py wrote to --data-dir (the registry's batch frames and
minzheng's batch results for dibao, tekun and the two disability subsidies), then

* vectorised: one simulation over every household and person (SimulationBuilder +
  set_input of numpy arrays), timed for building and for calculating the four programs;
* per case: one simulation per household from a situation dict (`build_from_entities`), on
  --samples households, median and p95 — plain, and with OpenFisca's trace on (the nearest
  thing it has to minzheng's per-condition explanation);
* agreement: eligibility and amount in fen, per subject, OpenFisca (both inputs) vs minzheng;
* parameters: every value of the OpenFisca package equals minzheng's YAML of the same name;
* --once: a whole one-off OpenFisca process (start, load the system, read, build, calculate
  once), which benchmarks/screening.py times from outside beside `minzheng screen`.

Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from openfisca_core.simulation_builder import SimulationBuilder  # noqa: E402

from openfisca_fuling import FulingTaxBenefitSystem  # noqa: E402
from openfisca_fuling.variables import PROGRAMS  # noqa: E402

MINZHENG_PARAMETERS = HERE.parent.parent / "minzheng" / "rules" / "parameters"
PERSON_INPUTS = {
    "disability_grade": "disability_grade",
    "has_capable_supporter": "has_capable_supporter",
    "self_care": "self_care",
    "income_wage": "income_wage_fen",
    "income_business": "income_business_fen",
    "income_property": "income_property_fen",
    "income_transfer": "income_transfer_fen",
}
RENAMED = {"minors": "children"}
HOUSEHOLD_INPUTS = {"financial_assets": "financial_assets_fen", "max_vehicle_value": "max_vehicle_value_fen"}


def read(path: Path) -> dict[str, np.ndarray]:
    table = pq.read_table(path)
    out = {}
    for name in table.column_names:
        column = table.column(name)
        if str(column.type) == "date32[day]":
            out[name] = column.to_numpy().astype("datetime64[D]")
        else:
            out[name] = np.asarray(column.to_pylist() if str(column.type) in ("string", "large_string") else column.to_numpy(zero_copy_only=False))
    return out


def check_parameters() -> list[str]:
    """Every dated value of the OpenFisca package equals minzheng's (same path)."""
    problems = []
    for path in sorted((HERE / "openfisca_fuling" / "parameters").rglob("*.yaml")):
        relative = path.relative_to(HERE / "openfisca_fuling" / "parameters")
        # "children" is an attribute of OpenFisca's ParameterNode, so that folder is "minors" here.
        mirrored = Path(*[RENAMED.get(part, part) for part in relative.parts])
        ours = yaml.safe_load((MINZHENG_PARAMETERS / mirrored).read_text(encoding="utf-8"))
        theirs = yaml.safe_load(path.read_text(encoding="utf-8"))
        a = {str(k): float(v["value"]) for k, v in (ours.get("values") or {}).items()}
        b = {str(k): float(v["value"]) for k, v in theirs["values"].items()}
        if a != b:
            problems.append(f"{relative}: minzheng {a} != openfisca {b}")
    return problems


# --- vectorised --------------------------------------------------------------------------------


def vectorised(system, households, members, period):
    started = time.perf_counter()
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", members["member_id"])
    household_population = builder.declare_entity("household", households["household_id"])
    builder.join_with_persons(household_population, members["household_id"], np.zeros(len(members["member_id"]), dtype=int))
    simulation = builder.build(system)
    for variable, column in PERSON_INPUTS.items():
        simulation.set_input(variable, period, members[column])
    simulation.set_input("birth", period, members["birth_date"])
    simulation.set_input("disability_category", period, np.where(members["disability_category"] == None, "none", members["disability_category"]).astype(str))  # noqa: E711
    simulation.set_input("child_status", period, np.where(members["child_status"] == None, "none", members["child_status"]).astype(str))  # noqa: E711
    simulation.set_input("zone", period, households["zone"].astype(str))
    for variable, column in HOUSEHOLD_INPUTS.items():
        simulation.set_input(variable, period, households[column])
    built = time.perf_counter()
    out = {}
    for program, eligible, amount, entity in PROGRAMS:
        out[program] = (simulation.calculate(eligible, period), simulation.calculate(amount, period))
    done = time.perf_counter()
    return out, built - started, done - built


# --- per case ----------------------------------------------------------------------------------


def situations(households, members, period, chosen):
    by_household: dict[int, list[int]] = {}
    for index, household_id in enumerate(members["household_id"].tolist()):
        by_household.setdefault(household_id, []).append(index)
    household_index = {h: i for i, h in enumerate(households["household_id"].tolist())}
    out = []
    for household_id in chosen:
        persons = {}
        for i in by_household[household_id]:
            category = members["disability_category"][i]
            status = members["child_status"][i]
            persons[f"p{members['member_id'][i]}"] = {
                "birth": {period: str(members["birth_date"][i])},
                "disability_grade": {period: int(members["disability_grade"][i])},
                "disability_category": {period: category or "none"},
                "has_capable_supporter": {period: bool(members["has_capable_supporter"][i])},
                "self_care": {period: str(members["self_care"][i])},
                "child_status": {period: status or "none"},
                **{name: {period: int(members[column][i])} for name, column in PERSON_INPUTS.items() if column.endswith("_fen")},
            }
        h = household_index[household_id]
        out.append(
            (
                household_id,
                {
                    "persons": persons,
                    "households": {
                        "h": {
                            "members": list(persons),
                            "zone": {period: str(households["zone"][h])},
                            **{name: {period: int(households[column][h])} for name, column in HOUSEHOLD_INPUTS.items()},
                        }
                    },
                },
            )
        )
    return out


def per_case(system, cases, period, *, trace: bool):
    timings, results = [], {}
    variables = [v for _, eligible, amount, _ in PROGRAMS for v in (eligible, amount)]
    for household_id, situation in cases:
        started = time.perf_counter()
        simulation = SimulationBuilder().build_from_entities(system, situation)
        simulation.trace = trace
        values = {v: simulation.calculate(v, period) for v in variables}
        timings.append(time.perf_counter() - started)
        person_ids = [int(p[1:]) for p in situation["persons"]]
        for program, eligible, amount, entity in PROGRAMS:
            if entity == "household":
                results[(program, household_id, None)] = (bool(values[eligible][0]), int(values[amount][0]))
            else:
                for k, person_id in enumerate(person_ids):
                    results[(program, household_id, person_id)] = (bool(values[eligible][k]), int(values[amount][k]))
    return timings, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--once", action="store_true", help="one cold vectorised run and exit (timed from outside as a whole process)")
    args = parser.parse_args()
    data = Path(args.data_dir)
    period = json.loads((data / "meta.json").read_text())["period"]
    if args.once:
        # What a one-off OpenFisca screening process does: load the system, read the frames,
        # build, calculate the four programs. No comparison, nothing stored.
        system = FulingTaxBenefitSystem()
        _, build, calculate = vectorised(system, read(data / "households.parquet"), read(data / "members.parquet"), period)
        print(json.dumps({"build_seconds": round(build, 3), "calculate_seconds": round(calculate, 3)}))
        return

    started = time.perf_counter()
    system = FulingTaxBenefitSystem()
    load_system = time.perf_counter() - started
    households = read(data / "households.parquet")
    members = read(data / "members.parquet")
    ours = read(data / "minzheng_results.parquet")

    figures = {
        "openfisca_version": importlib.metadata.version("openfisca-core"),
        "households": int(len(households["household_id"])),
        "members": int(len(members["member_id"])),
        "system_load_seconds": round(load_system, 3),
        "parameter_mismatches": check_parameters(),
    }
    # Vectorised, twice (the first run also warms numpy and the parameter cache).
    runs = []
    for _ in range(2):
        result, build, calculate = vectorised(system, households, members, period)
        runs.append((build, calculate))
    figures["vectorised_build_seconds"] = round(min(r[0] for r in runs), 3)
    figures["vectorised_calculate_seconds"] = round(min(r[1] for r in runs), 3)
    figures["vectorised_total_seconds"] = round(min(r[0] + r[1] for r in runs), 3)

    # Agreement, vectorised vs minzheng batch.
    key_household = households["household_id"]
    mismatches = {}
    subjects = {}
    for program, _, _, entity in PROGRAMS:
        mask = ours["program"] == program
        our_ids = ours["household_id"][mask] if entity == "household" else ours["member_id"][mask].astype(np.int64)
        order = np.argsort(our_ids)
        our_eligible = ours["eligible"][mask][order]
        our_amount = ours["amount_fen"][mask][order]
        their_ids = key_household if entity == "household" else members["member_id"]
        their_order = np.argsort(their_ids)
        eligible, amount = result[program]
        same_ids = np.array_equal(np.sort(our_ids), np.asarray(their_ids)[their_order])
        differ = (eligible[their_order] != our_eligible) | (amount[their_order].astype(np.int64) != our_amount)
        mismatches[program] = int(differ.sum()) if same_ids else -1
        subjects[program] = {"subjects": int(mask.sum()), "eligible": int(our_eligible.sum()), "amount_fen": int(our_amount.sum())}
    figures["vectorised_mismatches"] = mismatches
    figures["programs"] = subjects

    # Per case on a sample of households (same sample as the per-case figure of minzheng).
    ids = households["household_id"].tolist()
    chosen = sorted(random.Random(args.seed).sample(ids, min(args.samples, len(ids))))
    cases = situations(households, members, period, chosen)
    per_case(system, cases[:20], period, trace=False)  # warm-up
    timings, case_results = per_case(system, cases, period, trace=False)
    traced, _ = per_case(system, cases[: min(200, len(cases))], period, trace=True)
    figures["per_case_households"] = len(cases)
    figures["per_case_median_ms"] = round(statistics.median(timings) * 1000, 3)
    figures["per_case_p95_ms"] = round(sorted(timings)[int(0.95 * len(timings))] * 1000, 3)
    figures["per_case_traced_median_ms"] = round(statistics.median(traced) * 1000, 3)

    # Agreement, per case vs minzheng.
    lookup = {}
    for i in range(len(ours["program"])):
        member = ours["member_id"][i]
        key = (str(ours["program"][i]), int(ours["household_id"][i]), None if member is None or member != member else int(member))
        lookup[key] = (bool(ours["eligible"][i]), int(ours["amount_fen"][i]))
    bad = [key for key, value in case_results.items() if lookup.get(key) != value]
    figures["per_case_subjects_compared"] = len(case_results)
    figures["per_case_mismatches"] = len(bad)
    figures["agree"] = (
        not figures["parameter_mismatches"]
        and all(v == 0 for v in mismatches.values())
        and not bad
    )
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for k, v in figures.items():
            print(f"{k:<34} {v}")


if __name__ == "__main__":
    main()

"""Benchmark: what a hostile or careless 1.5-million-row roster costs the web worker that
receives it (issue 20: it took 54 s and 2.3 GB). The upload path is parse_upload (preview and
commit both start there); the file is refused once it passes the per-upload limit
(ImportSpec.max_rows, 200,000 data rows; blank rows count), an xlsx from its dimensions.

    .venv/bin/python benchmarks/upload_limit.py [--rows 1500000] [--format xlsx|csv|both]

No database is touched. Files are written to a temporary folder first (untimed); then, timed,
parse_upload on the first spec whose kind names a roster (名册). Peak memory is the process's
maximum resident set size (ru_maxrss) measured in a fresh child process per file, so the
generation does not count.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()


def write_files(rows: int, folder: Path, formats: list[str]) -> dict[str, Path]:
    """A roster of the cheapest kind: a header and ``rows`` short lines (a 3 MB CSV holds
    1.5 million of them; an xlsx of the same rows is about as small once zipped)."""
    out = {}
    _setup_django()
    from minzheng.exchange.spec import all_specs

    specs = all_specs()
    spec = next((s for s in specs if "roster" in s.kind), specs[0])
    header = [c.header + ("*" if c.required else "") for c in spec.columns]
    if "csv" in formats:
        path = folder / "roster.csv"
        with path.open("w", encoding="utf-8") as f:
            f.write(",".join(header) + "\n")
            f.write("1" + "," * (len(header) - 1) + "\n")
            f.write("1,\n" * (rows - 1))
        out["csv"] = path
    if "xlsx" in formats:
        import xlsxwriter

        path = folder / "roster.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet("数据")
        ws.write_row(0, 0, header)
        for r in range(1, rows + 1):
            ws.write_number(r, 0, 1)
        wb.close()
        out["xlsx"] = path
    return out


def measure(path: str) -> dict:
    """In a fresh process: parse_upload of one file; time and peak memory."""
    _setup_django()
    from minzheng.exchange.parsing import parse_upload
    from minzheng.exchange.spec import all_specs

    specs = all_specs()
    spec = next((s for s in specs if "roster" in s.kind), specs[0])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    content = Path(path).read_bytes()
    parsed = parse_upload(spec, content, filename=Path(path).name)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "file": Path(path).name,
        "bytes": len(content),
        "spec": spec.kind,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_before_mb": round(before / 1024, 1),
        "file_errors": parsed.file_errors,
        "rows_validated": parsed.total_rows,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2]), ensure_ascii=False))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--format", choices=["xlsx", "csv", "both"], default="both")
    args = parser.parse_args()
    formats = ["csv", "xlsx"] if args.format == "both" else [args.format]
    with tempfile.TemporaryDirectory() as folder:
        files = write_files(args.rows, Path(folder), formats)
        for kind, path in files.items():
            result = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)], capture_output=True, text=True, check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
            print(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()

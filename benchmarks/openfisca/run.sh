#!/usr/bin/env bash
# OpenFisca side of benchmarks/screening.py. OpenFisca is NOT a product dependency: it lives
# in its own virtual environment (default /tmp/ofvenv, created on first use).
#
#   bash benchmarks/openfisca/run.sh --data-dir /tmp/minzheng-openfisca-data [--samples 1000] [--json]
#
# The data directory is written by `benchmarks/screening.py --openfisca`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${OPENFISCA_VENV:-/tmp/ofvenv}"
if [ ! -x "$VENV/bin/python" ]; then
  PY="$(command -v python3.12 2>/dev/null || true)"
  if [ -z "$PY" ] || ! "$PY" -c 'import sys' 2>/dev/null; then
    # the project's own interpreter (pyenv shims may hide python3.12 from PATH)
    PY="$("$HERE/../../.venv/bin/python" -c 'import sys; print(sys._base_executable)')"
  fi
  "$PY" -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet "openfisca-core==46.*" "pyarrow" >&2
fi
cd "$HERE"
exec "$VENV/bin/python" "$HERE/compare.py" "$@"

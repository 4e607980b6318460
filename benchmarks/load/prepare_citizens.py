"""Writes the citizens the load test signs in as (benchmarks/load/citizens.py): living household
heads of the demo database, their name and ID number (synthetic data), to benchmarks/out.

    DATABASE_URL=sqlite:///<demo db> .venv/bin/python benchmarks/load/prepare_citizens.py [N=500]
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from minzheng.core.crypto import decrypt_text  # noqa: E402 - after django.setup()
from minzheng.registry.models import Household  # noqa: E402

count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
out = Path(__file__).resolve().parents[1] / "out" / "citizens.csv"
out.parent.mkdir(parents=True, exist_ok=True)
heads = (
    Household.objects.filter(head__isnull=False, head__is_deceased=False)
    .select_related("head").order_by("id")[:count]
)
with out.open("w", encoding="utf-8", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["name", "id_number"])
    for household in heads:
        writer.writerow([household.head.name, decrypt_text(household.head.id_number_encrypted)])
print(f"{count} citizens → {out}")

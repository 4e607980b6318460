"""The Arrow read of the engine's frames (connectorx, in partitions) gives exactly the frames of
the CSV read (issue 21 item 1). It is taken only where a second connection sees what Django's
does, on PostgreSQL; the test commits its data (transactional). On SQLite the product never
reads this way (facts.arrow_uri says why); the read is checked on a copy of the test database
that no other connection has open."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from polars.testing import assert_frame_equal

from minzheng.registry import facts
from minzheng.registry.generate import generate_district

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
def test_the_arrow_read_gives_the_same_frames_as_the_csv_read(settings, tmp_path, monkeypatch):
    generate_district(scale=0.002, seed=11)
    assert facts.cx is not None  # installed from pyproject
    settings.MINZHENG_ARROW_READS = False
    assert facts.arrow_uri() is None
    wanted = {
        "all": facts.load_facts_frames(),
        "period": facts.load_facts_frames(period="2026-11"),
        "town": facts.load_facts_frames(division_prefix="500102006", period="2026-11"),
    }
    settings.MINZHENG_ARROW_READS = True
    if connection.vendor == "sqlite":
        # Never on Django's SQLite database (a second SQLite library on the same file corrupts
        # it: facts.arrow_uri). The read itself is checked on a copy no other connection opens.
        assert facts.arrow_uri() is None
        copy = tmp_path / "facts.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        monkeypatch.setattr(facts, "arrow_uri", lambda: f"sqlite://{copy}" if not connection.in_atomic_block else None)
    else:
        assert facts.arrow_uri().startswith("postgresql://")
    with transaction.atomic():  # inside a transaction the CSV read on Django's own connection
        assert facts.arrow_uri() is None
    reads = []
    real = facts._arrow_read
    monkeypatch.setattr(facts, "_arrow_read", lambda *a: reads.append(a[-1]) or real(*a))
    got = {
        "all": facts.load_facts_frames(),
        "period": facts.load_facts_frames(period="2026-11"),
        "town": facts.load_facts_frames(division_prefix="500102006", period="2026-11"),
    }
    assert reads == ["h.id", "m.household_id"] * 3  # both statements of each read went the Arrow way
    for key, (households, members) in wanted.items():
        assert households.height > 0 and members.height > 0, key
        assert_frame_equal(got[key][0], households)
        assert_frame_equal(got[key][1], members)
    assert facts.load_facts_frames(household_ids=[])[0].height == 0  # small reads stay on the CSV path
    assert reads == ["h.id", "m.household_id"] * 3

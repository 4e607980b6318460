"""The README's demo-account table lists exactly the accounts `minzheng demo` creates, and no
demo module creates an account of its own outside that one list (so the two cannot drift)."""

from __future__ import annotations

import re
from pathlib import Path

from minzheng.accounts.actions import demo_accounts
from minzheng.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[3]


def _readme_table() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## 演示账号 · Demo accounts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|", section, flags=re.M)


def test_readme_lists_exactly_the_demo_accounts_with_their_roles():
    table = _readme_table()
    assert [u for u, _ in table] == [u for u, _, _, _ in demo_accounts()]
    for (username, role_text), (_, role, _, _) in zip(table, demo_accounts()):
        assert role_text.startswith(Role(role).label), username
    assert "cun_xieli_500102006001" in dict(table)
    assert len(table) == 13


def test_no_demo_module_creates_accounts_of_its_own():
    offenders = []
    for path in (ROOT / "minzheng").rglob("*.py"):
        if "tests" in path.parts or path.name == "actions.py" and path.parent.name == "accounts":
            continue
        if "demo" not in path.name and "demo" not in str(path.parent):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"do_create_staff_user\(|create_user\(|create_superuser\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []

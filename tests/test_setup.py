"""Setup: scripts/install installs only the Debian packages it needs, without recommended
extras; the README's quick start states the prerequisites and keeps two commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_install_takes_only_the_packages_it_needs_without_recommends():
    script = (ROOT / "scripts" / "install").read_text(encoding="utf-8")
    packages = re.search(r"APT_PACKAGES=\(\n(.*?)\n\)", script, flags=re.S).group(1).split()
    assert packages == [
        "postgresql", "chromium", "fonts-noto-cjk", "poppler-utils",
        "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fontconfig",
    ]  # fmt: skip
    installs = [line.strip() for line in script.splitlines() if "apt-get install" in line and not line.strip().startswith(("#", "say"))]
    assert installs == ['"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"']


def test_readme_quick_start_states_the_prerequisites_in_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## 快速开始 · Quick start", 1)[1].split("\n## ", 1)[0]
    assert "Python 3.12" in quick and "Node.js 20" in quick
    assert "network access" in quick
    block = re.search(r"```bash\n(.*?)```", quick, flags=re.S).group(1)
    assert block.split() == ["./scripts/start", "./scripts/test"]

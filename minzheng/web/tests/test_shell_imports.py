"""web/ is the shell every app imports (layout, navigation, login, the workbench, error pages,
shared template tags). It imports only what lies below the apps — core, divisions, accounts —
so no app's screens can slip back into it. The one exception is the workbench (工作台, in
views.py), which reads the case kit's open-task feed (`minzheng.cases.tasks`): the kit sits
below every line and imports none of them. The `demo` command reaches the apps by name only
(the registry's `generate` command, each line's `demo.seed_demo`).
"""

import ast
from pathlib import Path

import minzheng.web

WEB = Path(minzheng.web.__file__).parent
SHELL_MAY_IMPORT = ("minzheng.core", "minzheng.divisions", "minzheng.accounts", "minzheng.web")
WORKBENCH_MAY_IMPORT = {"views.py": ("minzheng.cases.tasks",)}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_shell_imports_no_app_above_accounts():
    modules = [p for p in WEB.rglob("*.py") if "tests" not in p.relative_to(WEB).parts]
    assert len(modules) >= 9  # views, urls, navigation, decorators, errors, context processors, tags, demo
    wrong = {
        str(path.relative_to(WEB)): sorted(
            name for name in _imports(path)
            if name.startswith("minzheng")
            and not name.startswith(SHELL_MAY_IMPORT + WORKBENCH_MAY_IMPORT.get(str(path.relative_to(WEB)), ()))
        )
        for path in modules
    }
    assert {k: v for k, v in wrong.items() if v} == {}


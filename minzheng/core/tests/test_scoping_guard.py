"""A guard against bypassing scoping (issue 10 §8), in the spirit of Zulip's linted
``access_*_by_id`` rule: view and API modules never fetch a scoped model themselves.

A model is scoped when it has a ``division_code`` field (who may see a row depends on where it
is). Views and API modules (``views.py``, ``views/*.py``, ``api.py`` and the API package) reach
such rows only through their app's ``access.py`` / ``selectors.py`` functions, which apply
``visible_to(actor)``. The test parses each module and fails on ``<ScopedModel>.objects``,
``<ScopedModel>._default_manager`` and ``get_object_or_404(<ScopedModel>, …)`` /
``get_list_or_404``.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from django.apps import apps

PACKAGE = Path(__file__).resolve().parents[2]  # minzheng/

# Deliberate exceptions: (module path relative to minzheng/, model name) → why.
ALLOWLIST: dict[tuple[str, str], str] = {}


def scoped_models() -> dict[str, type]:
    out = {}
    for model in apps.get_models():
        if any(f.name == "division_code" for f in model._meta.get_fields()):
            out[f"{model.__module__}.{model.__name__}"] = model
    return out


def view_modules() -> list[Path]:
    found = set(PACKAGE.glob("*/views.py")) | set(PACKAGE.glob("*/views/*.py")) | set(PACKAGE.glob("*/api.py"))
    found |= set(PACKAGE.glob("api/*.py"))
    return sorted(p for p in found if "tests" not in p.parts and "migrations" not in p.parts)


def _names(tree: ast.Module, module_name: str) -> dict[str, object]:
    """Names bound by the module's imports (at any depth) → the objects they name."""
    out: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join(module_name.split(".")[: -node.level] + ([node.module] if node.module else []))
            for alias in node.names:
                try:
                    module = importlib.import_module(base)
                except ImportError:
                    continue
                target = getattr(module, alias.name, None)
                if target is None:
                    try:
                        target = importlib.import_module(f"{base}.{alias.name}")
                    except ImportError:
                        continue
                out[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = importlib.import_module(alias.name)
    return out


def _resolve(node: ast.expr, names: dict[str, object]) -> object | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        parent = _resolve(node.value, names)
        return getattr(parent, node.attr, None) if parent is not None else None
    return None


def bypasses(path: Path, scoped: dict[str, type]) -> list[tuple[int, str, str]]:
    """(line, model name, what) of each direct fetch of a scoped model in a module."""
    module_name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _names(tree, module_name)
    scoped_classes = set(scoped.values())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager", "_base_manager"):
            target = _resolve(node.value, names)
            if target in scoped_classes:
                found.append((node.lineno, target.__name__, f"{target.__name__}.{node.attr}"))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if fname in ("get_object_or_404", "get_list_or_404"):
                target = _resolve(node.args[0], names)
                if target in scoped_classes:
                    found.append((node.lineno, target.__name__, f"{fname}({target.__name__}, …)"))
    return sorted(found)


def test_views_and_apis_fetch_scoped_models_only_through_access_and_selectors():
    scoped = scoped_models()
    assert len(scoped) > 10  # Person, Household, Enrolment, Facility, Alert, …
    offences = []
    for path in view_modules():
        rel = str(path.relative_to(PACKAGE))
        for line, model, what in bypasses(path, scoped):
            if (rel, model) not in ALLOWLIST:
                offences.append(f"minzheng/{rel}:{line}: {what} — use the app's access.py / selectors.py")
    assert offences == [], "\n".join(offences)


def test_every_allowlisted_exception_is_still_needed():
    scoped = scoped_models()
    used = {(str(p.relative_to(PACKAGE)), model) for p in view_modules() for _, model, _ in bypasses(p, scoped)}
    assert set(ALLOWLIST) <= used, set(ALLOWLIST) - used


def test_the_guard_catches_the_three_forms(tmp_path, monkeypatch):
    scoped = scoped_models()
    fake = PACKAGE / "registry" / "views_guard_probe.py"
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "from minzheng.registry import models\n"
        "from minzheng.registry.models import Person\n"
        "def a(pk):\n"
        "    return Person.objects.get(pk=pk)\n"
        "def b(pk):\n"
        "    return get_object_or_404(Person, pk=pk)\n"
        "def c(pk):\n"
        "    return models.Household.objects.get(pk=pk)\n"
    )
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert [(line, what) for line, _, what in bypasses(fake, scoped)] == [
        (5, "Person.objects"),
        (7, "get_object_or_404(Person, …)"),
        (9, "Household.objects"),
    ]

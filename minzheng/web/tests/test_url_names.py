"""Every URL name written in the code exists.

Screens link to each other's pages by name (`{% url 'registry:person-detail' … %}`,
`redirect("assistance:todo")`, a navigation `Module`). A name left behind when a page moves
to another app would only fail when that link is rendered; this finds it at once.
"""

import re
from pathlib import Path

from django.apps import apps
from django.urls import get_resolver

import minzheng

PACKAGE = Path(minzheng.__file__).parent
TEMPLATE_NAME = re.compile(r"\{%\s*url\s+['\"]([^'\"]+)['\"]")
PYTHON_STRING = re.compile(r"['\"]([a-z_]+):([a-z0-9_-]+)['\"]")


def _name_exists(full_name: str) -> bool:
    resolver = get_resolver()
    *namespaces, name = full_name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        _, resolver = resolver.namespace_dict[namespace]
    return name in resolver.reverse_dict


def _written_names() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.html"):
        for name in TEMPLATE_NAME.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(path.relative_to(PACKAGE)))
    # In Python, a string "app:name" whose prefix is an app's label is taken for a URL name.
    labels = {config.label for config in apps.get_app_configs()}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for namespace, name in PYTHON_STRING.findall(path.read_text(encoding="utf-8")):
            if namespace in labels:
                found.setdefault(f"{namespace}:{name}", []).append(str(path.relative_to(PACKAGE)))
    return found


def test_every_url_name_in_templates_and_code_resolves():
    names = _written_names()
    assert "registry:person-detail" in names and "web:home" in names  # the scan sees both kinds
    missing = {name: where for name, where in sorted(names.items()) if not _name_exists(name)}
    assert missing == {}


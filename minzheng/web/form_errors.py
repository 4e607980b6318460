"""Domain errors onto a Django form, and the case version a step form posts: one helper for
every line's views.

An action refuses with ``ValidationFailed`` (field → Chinese message) or another
``DomainError`` (one message). Each field's message goes next to the field the user filled in
(``aliases`` maps an action's field name to the form's when they differ); a message for a field
the form does not have, or a refusal that names no field, goes to the top of the form.
"""

from __future__ import annotations

from minzheng.core.errors import DomainError, ValidationFailed


def apply_domain_error(
    form, error: DomainError, aliases: dict[str, str] | None = None
) -> None:
    if isinstance(error, ValidationFailed):
        for field, message in error.errors.items():
            name = (aliases or {}).get(field, field)
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, error.message)


def posted_version(request, *, missing: int | None = -1) -> int | None:
    """The case version the page was rendered with (optimistic locking); ``missing`` (by default
    -1, which the action refuses as a stale page) when absent or not a number — never a 500."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return missing

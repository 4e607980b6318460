"""Domain errors: raised by actions, shown to users as Chinese messages."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation. `message` is Chinese and safe to show to the user."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    """Missing and not-yours are the same answer, so nobody can probe for records."""

    code = "not_found"

    def __init__(self, message: str = "记录不存在或无权访问"):
        super().__init__(message)


class PermissionDenied(DomainError):
    code = "permission_denied"

    def __init__(self, message: str = "没有执行此操作的权限"):
        super().__init__(message)


class ValidationFailed(DomainError):
    """Several field errors at once: {field: message}."""

    code = "validation_failed"

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(f"{k}：{v}" for k, v in errors.items()))


class ReferenceNotFound(ValidationFailed):
    """A field names a record that does not exist or is not the actor's (a person, a household):
    a form shows it next to the field like any invalid value; the API answers 404, since the
    request itself was well-formed (issue 20: the document cannot know which ids exist)."""

    code = "not_found"


class DuplicateValue(ValidationFailed):
    """A field's value is already taken (a name, a number that must be unique): a form shows it
    next to the field; the API answers 409 — the request was well-formed but conflicts with
    what is recorded."""

    code = "duplicate"

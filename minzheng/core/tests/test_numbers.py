"""Every record numbered after its id is written first with core.numbers.placeholder_number():
its number field must hold the placeholder (PostgreSQL enforces the length; SQLite does not,
which is how a longer placeholder once passed every SQLite test and failed on PostgreSQL)."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from minzheng.core.numbers import PLACEHOLDER_LENGTH, placeholder_number


def test_the_placeholder_fits_every_unique_number_field():
    first, second = placeholder_number(), placeholder_number()
    assert len(first) == len(second) == PLACEHOLDER_LENGTH and first != second
    fields = [
        (model._meta.label, field.max_length)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name == "number" and isinstance(field, models.CharField) and field.unique
    ]
    assert len(fields) >= 10  # the numbered records of the lines (认定编号, 受助编号, 证书编号 …)
    assert [label for label, length in fields if length < PLACEHOLDER_LENGTH] == []

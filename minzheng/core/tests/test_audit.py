from importlib import import_module

import pytest
from django.db import DatabaseError, connection, transaction

from minzheng.core.audit import record_audit_event
from minzheng.core.logging import redact
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_through_the_orm(system_actor):
    event = record_audit_event(system_actor, "system", summary="x")
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.update(summary="y")


def test_database_refuses_update_and_delete_of_audit_rows(system_actor):
    guard = import_module("minzheng.core.migrations.0002_audit_append_only")
    guard.install_audit_guard(connection)  # rolled back with the test transaction
    event = record_audit_event(system_actor, "system", summary="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as c:
            c.execute("UPDATE core_auditevent SET summary = 'y' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as c:
            c.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "x"


def test_logs_never_carry_id_or_phone_numbers_in_clear():
    assert redact("查询 500102195201207809 电话 13812345678") == "查询 500102********7809 电话 138****5678"

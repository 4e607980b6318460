"""On PostgreSQL, compare names and initials by code point (COLLATE "C").

Prefix search is a range (value >= q AND value < q || U+10FFFF, ADR 0001). Under a
linguistic collation (a database created with en_US.UTF-8 or zh_CN.UTF-8) U+10FFFF may
weigh nothing and the range would be empty; "C" makes it exact whatever the database's
default. SQLite already compares bytes (BINARY), so nothing changes there.
"""

from django.db import migrations

COLUMNS = (("name", 50), ("name_initials", 50))


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, length in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE registry_person ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, length in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE registry_person ALTER COLUMN {column} TYPE varchar({length}) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_index_order")]
    operations = [migrations.RunPython(forwards, backwards)]

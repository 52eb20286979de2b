"""Many new rows of one model at once, for the write paths' bulk inserts.

`bulk_create` builds a model instance per row and runs every value of it through the field's
preparation: about 100 µs a row here, most of an import's time with the ~80 claims and their
audit rows of a DOAP file. `insert_rows` takes plain values and prepares each distinct value of
a column once (a write's timestamp, its software, its actor are the same on every row); text is
passed as it is. The rows go in one COPY on PostgreSQL (an INSERT per row costs the server a
parse and a plan each, bulk_create's multi-row INSERT the client an adaptation of every value)
and one INSERT statement prepared once and run for every row on SQLite. It sends no signals
and returns no ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router

TEXT_FIELDS = (models.CharField, models.TextField)  # prepared as themselves (URLField too)


def _preparer(field: models.Field, connection):
    if isinstance(field, TEXT_FIELDS):
        return None
    prepared: dict[Any, Any] = {}

    def prepare(value: Any) -> Any:
        try:
            return prepared[value]
        except KeyError:
            prepared[value] = field.get_db_prep_save(value, connection)
            return prepared[value]
        except TypeError:  # unhashable (a JSON value): prepared every time
            return field.get_db_prep_save(value, connection)

    return prepare


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT every row (its values in the order of `fields`, a foreign key as the related
    row's id; every column without a database default given) into model's table; how many."""
    meta, connection = model._meta, connections[router.db_for_write(model)]  # not the proxy
    columns = [meta.get_field(name) for name in fields]
    preparers = [
        (index, prepare) for index, f in enumerate(columns) if (prepare := _preparer(f, connection))
    ]
    values = []
    for row in rows:
        row = list(row)
        for index, prepare in preparers:
            row[index] = prepare(row[index])
        values.append(row)
    if not values:
        return 0
    quote = connection.ops.quote_name
    table, names = quote(meta.db_table), ", ".join(quote(field.column) for field in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one COPY: no statement parsed per row
            copying = cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN")
            with connection.wrap_database_errors, copying as copy:  # Django's IntegrityError…
                for row in values:
                    copy.write_row(row)
        else:  # SQLite: one statement, prepared once
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", values)
    return len(values)

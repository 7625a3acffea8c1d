"""Every migration of ours reverses: migrate to zero and back up again, on SQLite and PostgreSQL."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

OUR_APPS = ["editorial", "catalog"]  # dependants first

# Schema changes cannot run inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def applied(app: str) -> set[str]:
    return {
        name for label, name in MigrationRecorder(connection).applied_migrations() if label == app
    }


def our_tables() -> set[str]:
    return {
        table
        for table in connection.introspection.table_names()
        if table.startswith(tuple(f"{app}_" for app in OUR_APPS))
    }


def test_every_migration_reverses_and_reapplies():
    tables_before = our_tables()
    assert tables_before

    for app in OUR_APPS:
        call_command("migrate", app, "zero", verbosity=0)
    assert all(not applied(app) for app in OUR_APPS)
    assert our_tables() == set()

    call_command("migrate", verbosity=0)

    assert our_tables() == tables_before
    assert all(applied(app) for app in OUR_APPS)

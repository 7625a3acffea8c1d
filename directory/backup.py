"""Whole-database backups: pg_dump's custom format on PostgreSQL, SQLite's online backup API.

Both are consistent snapshots taken while the site keeps serving. A restore
replaces every table with the backup's contents (schema and rows), so the
migrations recorded in the backup come back with it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(Exception):
    pass


def default_path(connection: BaseDatabaseWrapper) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
    return Path(settings.BASE_DIR) / "backups" / f"{connection.alias}-{stamp}.{suffix}"


def backup(connection: BaseDatabaseWrapper, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _pg(
            "pg_dump",
            connection,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            f"--dbname={connection.settings_dict['NAME']}",
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # Copies page by page from the live connection; works for in-memory databases too.
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        raise BackupError(f"No backup method for {connection.vendor}")
    return target


def restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"No backup at {source}")
    if connection.vendor == "postgresql":
        _pg("pg_restore", connection, "--list", str(source))  # refuses a file that is not a dump
        connection.close()  # our own connection must not hold locks on the tables being replaced
        _pg(
            "pg_restore",
            connection,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        )
    elif connection.vendor == "sqlite":
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            _check_sqlite_backup(backup_db, source)
            connection.ensure_connection()
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    else:
        raise BackupError(f"No restore method for {connection.vendor}")


def _check_sqlite_backup(db: sqlite3.Connection, source: Path) -> None:
    try:
        found = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not an SQLite database: {exc}") from exc
    if not found:
        raise BackupError(f"{source} is not a backup of this site (no django_migrations table)")


def _pg(program: str, connection: BaseDatabaseWrapper, *args: str) -> None:
    """Run pg_dump or pg_restore against the connection's server, raising on failure."""
    db = connection.settings_dict
    command = [program]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command.append(f"{flag}={db[key]}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line, where ps shows it
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from directory import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to a file while the site keeps running: pg_dump's "
        "custom format on PostgreSQL, SQLite's online backup API on SQLite. "
        "Prints the file's path; restore it with restore_database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="Where to write (default: backups/<stamp>).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path: str | None, database: str, **options) -> None:
        connection = connections[database]
        target = Path(path) if path else backup.default_path(connection)
        try:
            backup.backup(connection, target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{target} ({target.stat().st_size:,} bytes)")

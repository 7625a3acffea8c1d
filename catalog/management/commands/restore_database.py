from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from directory import backup


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by backup_database. "
        "Every current row is lost; asks first unless --noinput is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="A file written by backup_database.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, path: str, database: str, interactive: bool, **options) -> None:
        connection = connections[database]
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"Replace everything in database {name!r} with {path}? Type 'yes': ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup.restore(connection, Path(path))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {name} from {path}")

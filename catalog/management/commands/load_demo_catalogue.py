from pathlib import Path

import reversion
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog import history
from catalog.search_index import refresh_search_vectors
from catalog.versioning import bump

# Order matters: each file only refers to objects defined in the ones before it.
DEMO_FIXTURES = ["taxonomy.json", "vendors.json", "ai_models.json", "tools.json", "plans.json"]
FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo catalogue from fixtures/. Objects are matched by "
        "natural key, so running it again updates rather than duplicates. Every object "
        "the load adds or changes gets a version in history, so it can be recovered."
    )

    def handle(self, *args, **options) -> None:
        paths = [FIXTURE_DIR / name for name in DEMO_FIXTURES if (FIXTURE_DIR / name).exists()]
        with transaction.atomic():
            call_command("loaddata", *map(str, paths), verbosity=options["verbosity"])
            # Versions are saved after the load rather than during it, so that
            # rows the load left as they were get no new version on a rerun.
            with history.revision(comment="Loaded from the demo catalogue (load_demo_catalogue)."):
                saved = history.save_missing_versions(reversion.get_registered_models())
        refresh_search_vectors()  # raw saves skip the per-tool refresh too
        bump()  # loaddata saves raw, so signals skip the bump; one is enough
        if options["verbosity"]:
            self.stdout.write(f"Saved {saved} version(s) in history.")

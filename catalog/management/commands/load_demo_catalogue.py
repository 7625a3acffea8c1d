from pathlib import Path

import reversion
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog import history
from catalog.fixture_loading import load_fixtures
from catalog.provenance import refresh_last_checked
from catalog.search_index import refresh_search_vectors
from catalog.versioning import bump

# Order matters: each file only refers to objects defined in the ones before it.
# Files that do not exist (yet) are skipped.
DEMO_FIXTURES = [
    "taxonomy.json",
    "vendors.json",
    "ai_models.json",
    "tools.json",
    "plans.json",
    "provenance.json",
]
FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo catalogue from fixtures/. Objects are matched by "
        "natural key and saved only when a fact differs, so running it again changes nothing. "
        "Every row the load adds or changes gets a version in history, so it can be recovered."
    )

    def handle(self, *args, **options) -> None:
        paths = [FIXTURE_DIR / name for name in DEMO_FIXTURES if (FIXTURE_DIR / name).exists()]
        with transaction.atomic():
            report = load_fixtures(paths)
            # Versions are saved after the load rather than during it, so that
            # rows the load left as they were get no new version on a rerun.
            with history.revision(comment="Loaded from the demo catalogue (load_demo_catalogue)."):
                saved = history.save_missing_versions(reversion.get_registered_models())
        if report.changed:
            # Raw saves skip signals: derive what they would have kept current, once.
            refresh_last_checked()
            refresh_search_vectors()
            bump()
        if options["verbosity"]:
            self.stdout.write(
                f"Demo catalogue: {report.created} new, {report.updated} changed, "
                f"{report.unchanged} unchanged; {saved} version(s) saved in history."
            )

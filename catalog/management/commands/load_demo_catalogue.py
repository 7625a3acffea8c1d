from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

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
        "natural key and saved only when a fact differs, so running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        paths = [FIXTURE_DIR / name for name in DEMO_FIXTURES if (FIXTURE_DIR / name).exists()]
        report = load_fixtures(paths)
        if report.changed:
            # Raw saves skip signals: derive what they would have kept current, once.
            refresh_last_checked()
            refresh_search_vectors()
            bump()
        if options["verbosity"]:
            self.stdout.write(
                f"Demo catalogue: {report.created} new, {report.updated} changed, "
                f"{report.unchanged} unchanged."
            )

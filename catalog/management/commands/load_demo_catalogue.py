from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from catalog.search_index import refresh_search_vectors
from catalog.versioning import bump

# Order matters: each file only refers to objects defined in the ones before it.
DEMO_FIXTURES = ["taxonomy.json", "vendors.json", "ai_models.json", "tools.json", "plans.json"]
FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo catalogue from fixtures/. Objects are matched by "
        "natural key, so running it again updates rather than duplicates."
    )

    def handle(self, *args, **options) -> None:
        paths = [FIXTURE_DIR / name for name in DEMO_FIXTURES if (FIXTURE_DIR / name).exists()]
        call_command("loaddata", *map(str, paths), verbosity=options["verbosity"])
        refresh_search_vectors()  # raw saves skip the per-tool refresh too
        bump()  # loaddata saves raw, so signals skip the bump; one is enough

"""Print the request mix for `make load`, one "METHOD /path" per line, from the loaded catalogue.

Pages a visitor reads (home, catalogue with filters and searches, tools,
alternatives, comparisons, the wizard, reviews, feeds) and the public forms,
posted without a CSRF token as a bot would (403s, then 429s: both expected).
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")

import django

django.setup()

from django.urls import reverse  # noqa: E402

from catalog.models import Modality, Tool  # noqa: E402


def plan() -> list[str]:
    slugs = list(Tool.objects.published().order_by("?").values_list("slug", flat=True)[:30])
    modalities = list(Modality.objects.values_list("slug", flat=True)[:6])
    gets = [
        reverse("catalog:home"),
        reverse("catalog:tool_list"),
        reverse("catalog:tool_list") + "?" + urlencode({"q": "image generator"}),
        reverse("catalog:tool_list") + "?" + urlencode({"q": "imgae genrator"}),
        reverse("catalog:tool_list") + "?" + urlencode({"free": "yes", "sort": "name"}),
        reverse("catalog:tool_list") + "?page=2",
        reverse("catalog:compare") + "?" + urlencode({"tools": ",".join(slugs[:3])}),
        reverse("catalog:wizard"),
        reverse("catalog:wizard_result"),
        reverse("catalog:explainer_llm"),
        reverse("editorial:review_list"),
        reverse("editorial:submit"),
        reverse("sitemap"),
        reverse("robots_txt"),
        reverse("catalog:tools_feed"),
        "/healthz",
        "/tools/no-such-tool/",
    ]
    for slug in modalities:
        gets.append(reverse("catalog:modality", args=[slug]))
        gets.append(reverse("catalog:tool_list") + "?" + urlencode({"output": slug}))
    for slug in slugs:
        gets.append(reverse("catalog:tool_detail", args=[slug]))
    for slug in slugs[:5]:
        gets.append(reverse("catalog:alternatives", args=[slug]))
    posts = [reverse("editorial:submit")]
    posts += [reverse("editorial:report", args=[slug]) for slug in slugs[:2]]
    return [f"GET {path}" for path in gets] + [f"POST {path}" for path in posts]


if __name__ == "__main__":
    print("\n".join(plan()))

"""Copy each tool's latest published review score onto the tool (catalog 0005 added the column)."""

from django.db import migrations


def backfill(apps, schema_editor):
    Review = apps.get_model("editorial", "Review")
    Tool = apps.get_model("catalog", "Tool")
    latest: dict[int, int] = {}
    published = Review.objects.filter(status="published").order_by("tool_id", "published_at", "pk")
    for tool_id, score in published.values_list("tool_id", "score_overall"):
        latest[tool_id] = score  # ordered oldest first, so the newest wins
    for tool_id, score in latest.items():
        Tool.objects.filter(pk=tool_id).update(review_score=score)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_editorial_groups"),
        ("catalog", "0005_tool_review_score"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

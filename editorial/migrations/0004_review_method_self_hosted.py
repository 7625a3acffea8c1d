"""Reviews say how they were made; submissions use the "free to self-host" pricing value.

Reviews written before the method existed were entered under "when we last used
the tool" and a disclosure saying an editor used it, so they keep that claim:
hands-on.
"""

from django.conf import settings
from django.db import migrations, models


def open_source_pricing_to_self_hosted(apps, schema_editor):
    apps.get_model("editorial", "Submission").objects.filter(pricing_model="open_source").update(
        pricing_model="self_hosted"
    )


def self_hosted_pricing_to_open_source(apps, schema_editor):
    apps.get_model("editorial", "Submission").objects.filter(pricing_model="self_hosted").update(
        pricing_model="open_source"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_provenance_api_split_self_hosted"),
        ("editorial", "0003_backfill_review_scores"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="method",
            field=models.CharField(
                choices=[("hands_on", "Hands-on test"), ("documentation", "Documentation review")],
                default="hands_on",
                help_text="Hands-on test: an editor used the tool on real tasks. Documentation "
                "review: judged from the vendor's published terms, pricing, documentation and "
                "features only, without using the tool. Readers, the feed and search engines "
                "see it.",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="review",
            name="tested_on",
            field=models.DateField(
                help_text="Hands-on test: when we last used the tool. Documentation review: the "
                "date of the documentation we judged."
            ),
        ),
        migrations.AlterField(
            model_name="submission",
            name="pricing_model",
            field=models.CharField(
                blank=True,
                choices=[
                    ("free", "Free"),
                    ("freemium", "Freemium"),
                    ("subscription", "Subscription"),
                    ("usage", "Usage-based"),
                    ("one_time", "One-time purchase"),
                    ("self_hosted", "Free to self-host"),
                    ("contact", "Contact sales"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(
            open_source_pricing_to_self_hosted, self_hosted_pricing_to_open_source
        ),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.CheckConstraint(
                condition=models.Q(("method__in", ["hands_on", "documentation"])),
                name="review_method_valid",
            ),
        ),
    ]

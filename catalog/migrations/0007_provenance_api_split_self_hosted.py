"""Provenance records, the API flag split in two, "free to self-host", primary job fields.

Data moves with the schema:
- `api_available` mixed three meanings; it becomes `has_public_api` (the closest
  one) and `model_api_available` starts False until an editor says otherwise.
- Pricing "open source / self-hosted" becomes "free to self-host": open source is
  a licence, recorded under `licence_class`.
- `last_verified` is dropped, not carried over: its dates name no editor and no
  page, so they cannot count as checks. `last_checked` is derived from the new
  provenance records from now on.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def open_source_pricing_to_self_hosted(apps, schema_editor):
    apps.get_model("catalog", "Tool").objects.filter(pricing_model="open_source").update(
        pricing_model="self_hosted"
    )


def self_hosted_pricing_to_open_source(apps, schema_editor):
    apps.get_model("catalog", "Tool").objects.filter(pricing_model="self_hosted").update(
        pricing_model="open_source"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_tool_search_vector"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Verification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("vendor_page", "Checked against the vendor's page"),
                            ("vendor_confirmed", "Confirmed by the vendor"),
                            ("public_docs", "From public documentation as of a date"),
                            ("third_party", "From a third-party report"),
                            ("demo", "Demo data"),
                        ],
                        help_text="Only 'checked against the vendor's page' and 'confirmed by the vendor' count as an editor's check.",
                        max_length=20,
                    ),
                ),
                (
                    "as_of",
                    models.DateField(
                        help_text="The day the facts were true to the source: the day of a check, or the date of the documentation or report. Never in the future.",
                        verbose_name="as of",
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        help_text="The page that holds the facts (pricing page, terms, licence file), not a home page. Required except for facts the vendor confirmed and demo data.",
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source URL",
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True, help_text="What was checked and what changed, or a short quote."
                    ),
                ),
                (
                    "covers_pricing",
                    models.BooleanField(
                        default=False, help_text="Plans, prices.", verbose_name="pricing"
                    ),
                ),
                (
                    "covers_rights",
                    models.BooleanField(
                        default=False,
                        help_text="Commercial use, ownership, indemnity, training.",
                        verbose_name="rights",
                    ),
                ),
                (
                    "covers_licence",
                    models.BooleanField(
                        default=False, help_text="Licence class, id.", verbose_name="licence"
                    ),
                ),
                (
                    "covers_capabilities",
                    models.BooleanField(
                        default=False,
                        help_text="What goes in and out, models, platforms, API.",
                        verbose_name="capabilities",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        help_text="When this record was entered here.",
                    ),
                ),
            ],
            options={
                "verbose_name": "provenance record",
                "ordering": ["-as_of", "-recorded_at"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="tool",
            name="tool_pricing_model_valid",
        ),
        migrations.RemoveIndex(
            model_name="tool",
            name="tool_status_verified_idx",
        ),
        migrations.RemoveIndex(
            model_name="tool",
            name="tool_api_idx",
        ),
        migrations.RenameField(
            model_name="tool", old_name="api_available", new_name="has_public_api"
        ),
        migrations.AlterField(
            model_name="tool",
            name="has_public_api",
            field=models.BooleanField(
                default=False,
                help_text="The product itself offers a documented public API for what it does (e.g. generate a voice-over by an API call). Not an API the vendor sells for the model behind it, and not a local server a self-hosted tool runs (that is a platform).",
                verbose_name="public API for this product",
            ),
        ),
        migrations.AddField(
            model_name="tool",
            name="last_checked",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The latest day an editor checked facts against the vendor's page or had them confirmed by the vendor. Derived from the checks (catalog.provenance); never typed by hand.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="tool",
            name="model_api_available",
            field=models.BooleanField(
                default=False,
                help_text="The vendor sells API access to the model behind this tool (ChatGPT: OpenAI sells its models through the OpenAI API), whether or not the product itself has an API.",
                verbose_name="vendor sells API access to the model",
            ),
        ),
        migrations.AddField(
            model_name="tool",
            name="primary_output",
            field=models.ForeignKey(
                blank=True,
                help_text="What it mainly makes, one of its outputs (a chat assistant: Text; a video generator: Video). Leave empty to derive it from the outputs: the only one, or else the first in the vocabulary's order.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="primary_for",
                to="catalog.modality",
            ),
        ),
        migrations.AddField(
            model_name="tool",
            name="primary_use_case",
            field=models.ForeignKey(
                blank=True,
                help_text="The job most people use it for, one of its use cases. Leave empty to derive it from the use cases: the only one, or else the first in the vocabulary's order.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="primary_for",
                to="catalog.usecase",
            ),
        ),
        migrations.AlterField(
            model_name="aimodel",
            name="licence_class",
            field=models.CharField(
                choices=[
                    ("proprietary", "Proprietary"),
                    ("open_source", "Open source (OSI-approved licence)"),
                    ("open_weights", "Open weights (custom licence)"),
                    ("unclear", "Unclear"),
                ],
                default="proprietary",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="commercial_use",
            field=models.CharField(
                choices=[
                    ("allowed", "Allowed"),
                    ("conditional", "Allowed with conditions"),
                    ("not_allowed", "Not allowed"),
                    ("unclear", "Unclear"),
                ],
                default="unclear",
                help_text="May outputs be used commercially on at least one plan? Where a plan differs (often the free one), record it on that plan. Unclear is an honest answer.",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="created",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                help_text="When this entry was added here.",
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="has_free_tier",
            field=models.BooleanField(
                default=False,
                help_text="A plan that costs nothing and is kept indefinitely. A trial is not one.",
                verbose_name="free plan",
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="has_free_trial",
            field=models.BooleanField(
                default=False, help_text="Paid use can be tried for free for a limited time."
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="licence_class",
            field=models.CharField(
                choices=[
                    ("proprietary", "Proprietary"),
                    ("open_source", "Open source (OSI-approved licence)"),
                    ("open_weights", "Open weights (custom licence)"),
                    ("unclear", "Unclear"),
                ],
                help_text="Open source only for an OSI-approved licence; weights under a vendor's own licence are open weights.",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="licence_spdx",
            field=models.CharField(
                blank=True,
                help_text="The SPDX id of an open-source licence (e.g. Apache-2.0), or the name of a custom licence (e.g. Llama 4 Community License).",
                max_length=100,
                verbose_name="licence",
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="pricing_model",
            field=models.CharField(
                choices=[
                    ("free", "Free"),
                    ("freemium", "Freemium"),
                    ("subscription", "Subscription"),
                    ("usage", "Usage-based"),
                    ("one_time", "One-time purchase"),
                    ("self_hosted", "Free to self-host"),
                    ("contact", "Contact sales"),
                ],
                help_text="How people pay. 'Free to self-host': you may run the code or weights yourself at no licence fee (the licence is recorded under Rights).",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="rights_notes",
            field=models.TextField(
                blank=True, help_text="What the terms say, and why anything above is unclear."
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="source_url",
            field=models.URLField(
                blank=True,
                help_text="The vendor's page that holds the pricing and licence facts (pricing or terms page, not the home page); the link checker watches it.",
                verbose_name="source URL",
            ),
        ),
        migrations.AlterField(
            model_name="tool",
            name="updated",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                help_text="When this entry last changed.",
            ),
        ),
        migrations.RunPython(
            open_source_pricing_to_self_hosted, self_hosted_pricing_to_open_source
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(fields=["status", "-last_checked"], name="tool_status_checked_idx"),
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(fields=["has_public_api"], name="tool_public_api_idx"),
        ),
        migrations.AddConstraint(
            model_name="tool",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "pricing_model__in",
                        [
                            "free",
                            "freemium",
                            "subscription",
                            "usage",
                            "one_time",
                            "self_hosted",
                            "contact",
                        ],
                    )
                ),
                name="tool_pricing_model_valid",
            ),
        ),
        migrations.AddField(
            model_name="verification",
            name="checked_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The editor who did the check; required for the two check methods.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tool_checks",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="verification",
            name="tool",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="verifications",
                to="catalog.tool",
            ),
        ),
        migrations.RemoveField(
            model_name="tool",
            name="last_verified",
        ),
        migrations.AddIndex(
            model_name="verification",
            index=models.Index(fields=["tool", "-as_of"], name="verification_tool_as_of_idx"),
        ),
        migrations.AddConstraint(
            model_name="verification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "method__in",
                        ["vendor_page", "vendor_confirmed", "public_docs", "third_party", "demo"],
                    )
                ),
                name="verification_method_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="verification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("method__in", ("vendor_page", "vendor_confirmed")), _negated=True),
                    ("checked_by__isnull", False),
                    _connector="OR",
                ),
                name="verification_check_has_editor",
            ),
        ),
        migrations.AddConstraint(
            model_name="verification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("method__in", ("vendor_page", "public_docs", "third_party")), _negated=True
                    ),
                    models.Q(("source_url", ""), _negated=True),
                    _connector="OR",
                ),
                name="verification_has_source",
            ),
        ),
        migrations.AddConstraint(
            model_name="verification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("covers_pricing", True),
                    ("covers_rights", True),
                    ("covers_licence", True),
                    ("covers_capabilities", True),
                    _connector="OR",
                ),
                name="verification_covers_something",
            ),
        ),
        migrations.AddConstraint(
            model_name="verification",
            constraint=models.UniqueConstraint(
                fields=("tool", "method", "as_of", "source_url"), name="verification_unique"
            ),
        ),
    ]

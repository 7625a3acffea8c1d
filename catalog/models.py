"""The catalogue's domain: tools, what they take and make, and their rights.

Taxonomies (modalities, families, use cases, platforms, ways of working) are
editable rows rather than hard-coded choices so editors can grow them; the
facts that drive hard decisions (pricing model, licence class, commercial use)
are fixed choices enforced by named check constraints.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from catalog.currencies import Currency


def _choices_constraint(field: str, choices: type[models.TextChoices], model: str):
    """A named CheckConstraint that keeps a choices column honest at the database."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=f"{model}_{field}_valid",
    )


# Websites and source pages are web pages: the default URL validator also takes ftp://.
web_address = URLValidator(schemes=["http", "https"])


def _web_constraint(field: str, model: str, *, blank: bool):
    """A named CheckConstraint: the column holds an http(s) address (or nothing, if `blank`)."""
    web = Q(**{f"{field}__istartswith": "http://"}) | Q(**{f"{field}__istartswith": "https://"})
    return models.CheckConstraint(
        condition=(Q(**{field: ""}) | web) if blank else web, name=f"{model}_{field}_http"
    )


class SlugManager(models.Manager):
    """Natural keys by slug, so fixtures never depend on primary keys."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class Taxonomy(models.Model):
    """Shared shape of the editable vocabularies a tool is tagged with."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    description = models.TextField(
        blank=True, help_text="A short explanation in our own words, shown on its page."
    )
    position = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers are listed first."
    )

    objects = SlugManager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


@reversion.register()
class Modality(Taxonomy):
    """A kind of content: text, image, audio, video, code, 3D, data, speech."""

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "modalities"
        constraints = [models.UniqueConstraint(fields=["slug"], name="modality_slug_unique")]

    def get_absolute_url(self) -> str:
        return reverse("catalog:modality", kwargs={"slug": self.slug})


@reversion.register()
class ModelFamily(Taxonomy):
    """An architecture family: LLM, multimodal transformer, diffusion, GAN, VAE."""

    is_language = models.BooleanField(
        default=False, help_text="True for language models (the wizard's 'LLM' verdict)."
    )
    typical_outputs = models.CharField(max_length=200, blank=True)

    class Meta(Taxonomy.Meta):
        verbose_name = "model family"
        verbose_name_plural = "model families"
        constraints = [models.UniqueConstraint(fields=["slug"], name="modelfamily_slug_unique")]

    def get_absolute_url(self) -> str:
        return reverse("catalog:family", kwargs={"slug": self.slug})


@reversion.register()
class UseCase(Taxonomy):
    """A job people hire a tool for: writing, support, art, music, coding..."""

    class Meta(Taxonomy.Meta):
        verbose_name = "use case"
        constraints = [models.UniqueConstraint(fields=["slug"], name="usecase_slug_unique")]

    def get_absolute_url(self) -> str:
        return reverse("catalog:use_case", kwargs={"slug": self.slug})


class PlatformKind(models.TextChoices):
    PLATFORM = "platform", "Platform"
    INTEGRATION = "integration", "Integration or plugin"


@reversion.register()
class Platform(Taxonomy):
    """Where a tool runs (web, iOS, API) or what it plugs into (Figma, Slack)."""

    Kind = PlatformKind

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PLATFORM)

    class Meta(Taxonomy.Meta):
        verbose_name = "platform or integration"
        verbose_name_plural = "platforms and integrations"
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="platform_slug_unique"),
            _choices_constraint("kind", PlatformKind, "platform"),
        ]


@reversion.register()
class Interaction(Taxonomy):
    """How people work with a tool: chat, form, canvas or prompt, API, plugin."""

    class Meta(Taxonomy.Meta):
        verbose_name = "way of working"
        verbose_name_plural = "ways of working"
        constraints = [models.UniqueConstraint(fields=["slug"], name="interaction_slug_unique")]


@reversion.register()
class Vendor(models.Model):
    """The organisation behind a tool or a model."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    website = models.URLField(blank=True, validators=[web_address])
    description = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="vendor_slug_unique"),
            _web_constraint("website", "vendor", blank=True),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:vendor", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class LicenceClass(models.TextChoices):
    """What kind of licence covers the code or weights (a licence, never a price).

    Open source means an OSI-approved licence named by its SPDX id (MIT,
    Apache-2.0, GPL-3.0-only...). Weights you may download under a licence of the
    vendor's own (Llama, Gemma, Stability AI Community, FLUX.1 [dev]) are open
    weights, not open source, whatever the vendor calls them.
    """

    PROPRIETARY = "proprietary", "Proprietary"
    OPEN_SOURCE = "open_source", "Open source (OSI-approved licence)"
    OPEN_WEIGHTS = "open_weights", "Open weights (custom licence)"
    UNCLEAR = "unclear", "Unclear"


@reversion.register()
class AIModel(models.Model):
    """An underlying model a tool runs (GPT-4o, Claude, Stable Diffusion XL...)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    family = models.ForeignKey(ModelFamily, on_delete=models.PROTECT, related_name="ai_models")
    developer = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="ai_models", null=True, blank=True
    )
    open_weights = models.BooleanField(default=False)
    licence_class = models.CharField(
        max_length=20, choices=LicenceClass, default=LicenceClass.PROPRIETARY
    )
    licence = models.CharField(
        max_length=100, blank=True, help_text="SPDX id or the licence's own name."
    )
    description = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        verbose_name = "AI model"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="aimodel_slug_unique"),
            _choices_constraint("licence_class", LicenceClass, "aimodel"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ToolQuerySet(models.QuerySet["Tool"]):
    def published(self) -> ToolQuerySet:
        return self.filter(status=Tool.Status.PUBLISHED)

    def listed(self) -> ToolQuerySet:
        """What the public catalogue lists by default: published, not discontinued."""
        return self.published()

    def public(self) -> ToolQuerySet:
        """What a visitor may open: published and discontinued tools, never drafts."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user) -> ToolQuerySet:
        """Public tools for everyone; drafts too for staff previews."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.public()

    def stale(self, *, today: datetime.date | None = None) -> ToolQuerySet:
        today = today or timezone.localdate()
        cutoff = today - datetime.timedelta(days=settings.CATALOG_STALE_AFTER_DAYS)
        return self.filter(Q(last_checked__isnull=True) | Q(last_checked__lt=cutoff))

    def for_cards(self) -> ToolQuerySet:
        """Everything a tool card renders, in a fixed number of queries."""
        return self.select_related("vendor").prefetch_related(
            "input_modalities", "output_modalities"
        )


class ToolManager(models.Manager.from_queryset(ToolQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, slug: str) -> Tool:
        return self.get(slug=slug)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    DISCONTINUED = "discontinued", "Discontinued"


# The statuses whose tools (and everything about them: reviews, links) a visitor may see.
PUBLIC_STATUSES = (Status.PUBLISHED, Status.DISCONTINUED)


class PricingModel(models.TextChoices):
    """How people pay. A price, never a licence: see LicenceClass for that."""

    FREE = "free", "Free"
    FREEMIUM = "freemium", "Freemium"
    SUBSCRIPTION = "subscription", "Subscription"
    USAGE = "usage", "Usage-based"
    ONE_TIME = "one_time", "One-time purchase"
    # Code or weights you may run yourself at no licence fee; a paid hosted
    # version may exist beside it. Whether that makes it open source is the
    # licence's question, not this one's.
    SELF_HOSTED = "self_hosted", "Free to self-host"
    CONTACT = "contact", "Contact sales"


class Period(models.TextChoices):
    MONTH = "month", "per month"
    YEAR = "year", "per year"
    ONE_TIME = "one_time", "one-time"
    USAGE = "usage", "per use"


class CommercialUse(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    CONDITIONAL = "conditional", "Allowed with conditions"
    NOT_ALLOWED = "not_allowed", "Not allowed"
    UNCLEAR = "unclear", "Unclear"


class Ownership(models.TextChoices):
    USER = "user", "You own the outputs"
    VENDOR = "vendor", "The vendor keeps rights"
    NONE = "none", "No one (may not be protectable)"
    VARIES = "varies", "Depends on the plan"
    UNCLEAR = "unclear", "Unclear"


class Indemnity(models.TextChoices):
    YES = "yes", "Yes"
    PAID_PLANS = "paid_plans", "On some paid or enterprise plans"
    NO = "no", "No"
    UNCLEAR = "unclear", "Unclear"


class Training(models.TextChoices):
    NO = "no", "No"
    OPT_OUT = "opt_out", "Yes, unless you opt out"
    YES = "yes", "Yes"
    VARIES = "varies", "Depends on the plan"
    UNCLEAR = "unclear", "Unclear"


class CardFace:
    """What cards show that derives from a tool's columns (name, slug, pricing_model,
    starting_price, currency, has_free_tier, price_period), shared by Tool and by
    the plain facts card grids read from the facet index (catalog.cards.CardFacts)."""

    __slots__ = ()

    @property
    def monogram(self) -> str:
        """Up to two initials for the generated logo."""
        words = [w for w in self.name.replace("-", " ").split() if w[:1].isalnum()]
        letters = "".join(w[0] for w in words[:2]) or self.name[:1]
        return letters.upper()

    @property
    def monogram_tone(self) -> int:
        """A stable colour slot (0-7) so each monogram keeps its colour."""
        return sum(self.slug.encode()) % 8

    def price_summary(self) -> str:
        """What it costs in one line: "Free tier · from USD 20 per month"."""
        if self.pricing_model == PricingModel.FREE:
            return "Free"
        if self.pricing_model == PricingModel.SELF_HOSTED and not self.starting_price:
            return "Free to self-host"
        if self.starting_price is not None:
            summary = f"from {self.currency} {_amount(self.starting_price)}"
            if self.price_period:
                summary += f" {Period(self.price_period).label}"
            return f"Free tier · {summary}" if self.has_free_tier else summary
        if self.pricing_model == PricingModel.CONTACT:
            return "Contact sales"
        label = PricingModel(self.pricing_model).label
        return f"{label} · free tier" if self.has_free_tier else label


# History keeps a tool with its plans; the search document is derived, not history.
@reversion.register(follow=["plans"], exclude=["search_vector"])
class Tool(CardFace, models.Model):
    Status = Status
    PricingModel = PricingModel
    Period = Period
    CommercialUse = CommercialUse
    Ownership = Ownership
    Indemnity = Indemnity
    Training = Training

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    pitch = models.CharField(max_length=200, help_text="One line: what it does for whom.")
    description = models.TextField(blank=True)
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="tools", null=True, blank=True
    )
    website = models.URLField(validators=[web_address])
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        help_text="For discontinued tools: where its users went.",
    )
    is_featured = models.BooleanField(
        "featured",
        default=False,
        help_text="Highlighted on the home page; never changes any ranking.",
    )

    input_modalities = models.ManyToManyField(Modality, related_name="input_tools", blank=True)
    output_modalities = models.ManyToManyField(Modality, related_name="output_tools", blank=True)
    families = models.ManyToManyField(ModelFamily, related_name="tools", blank=True)
    ai_models = models.ManyToManyField(
        AIModel, related_name="tools", blank=True, verbose_name="AI models"
    )
    use_cases = models.ManyToManyField(UseCase, related_name="tools", blank=True)
    platforms = models.ManyToManyField(Platform, related_name="tools", blank=True)
    interactions = models.ManyToManyField(
        Interaction, related_name="tools", blank=True, verbose_name="ways of working"
    )
    # The primary job: what a reader would name first, beside everything else it can do.
    # Empty means "derive it from the tags" (see `derive_primary`); a value is an
    # editor's choice and always wins.
    primary_output = models.ForeignKey(
        Modality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_for",
        help_text="What it mainly makes, one of its outputs (a chat assistant: Text; a "
        "video generator: Video). Leave empty to derive it from the outputs: the only "
        "one, or else the first in the vocabulary's order.",
    )
    primary_use_case = models.ForeignKey(
        UseCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_for",
        help_text="The job most people use it for, one of its use cases. Leave empty to "
        "derive it from the use cases: the only one, or else the first in the "
        "vocabulary's order.",
    )

    pricing_model = models.CharField(
        max_length=20,
        choices=PricingModel,
        help_text="How people pay. 'Free to self-host': you may run the code or weights "
        "yourself at no licence fee (the licence is recorded under Rights).",
    )
    has_free_tier = models.BooleanField(
        "free plan",
        default=False,
        help_text="A plan that costs nothing and is kept indefinitely. A trial is not one.",
    )
    has_free_trial = models.BooleanField(
        default=False, help_text="Paid use can be tried for free for a limited time."
    )
    starting_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Cheapest paid plan; leave empty when unknown or only on request.",
    )
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.USD)
    price_period = models.CharField(max_length=20, choices=Period, blank=True)

    licence_class = models.CharField(
        max_length=20,
        choices=LicenceClass,
        help_text="Open source only for an OSI-approved licence; weights under a vendor's "
        "own licence are open weights.",
    )
    licence_spdx = models.CharField(
        "licence",
        max_length=100,
        blank=True,
        help_text="The SPDX id of an open-source licence (e.g. Apache-2.0), or the name of "
        "a custom licence (e.g. Llama 4 Community License).",
    )
    commercial_use = models.CharField(
        max_length=20,
        choices=CommercialUse,
        default=CommercialUse.UNCLEAR,
        help_text="May outputs be used commercially on at least one plan? Where a plan "
        "differs (often the free one), record it on that plan. Unclear is an honest answer.",
    )
    commercial_use_condition = models.CharField(max_length=300, blank=True)
    output_ownership = models.CharField(max_length=20, choices=Ownership, default=Ownership.UNCLEAR)
    ip_indemnity = models.CharField(
        "IP indemnity", max_length=20, choices=Indemnity, default=Indemnity.UNCLEAR
    )
    trains_on_user_data = models.CharField(
        max_length=20, choices=Training, default=Training.UNCLEAR
    )
    rights_notes = models.TextField(
        blank=True, help_text="What the terms say, and why anything above is unclear."
    )
    has_public_api = models.BooleanField(
        "public API for this product",
        default=False,
        help_text="The product itself offers a documented public API for what it does "
        "(e.g. generate a voice-over by an API call). Not an API the vendor sells for the "
        "model behind it, and not a local server a self-hosted tool runs (that is a platform).",
    )
    model_api_available = models.BooleanField(
        "vendor sells API access to the model",
        default=False,
        help_text="The vendor sells API access to the model behind this tool (ChatGPT: "
        "OpenAI sells its models through the OpenAI API), whether or not the product "
        "itself has an API.",
    )

    review_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Overall score (1-5) of the latest published review; editorial keeps it current.",
    )
    # The weighted search document (PostgreSQL only); catalog.search_index keeps it current.
    search_vector = SearchVectorField(null=True, editable=False)

    source_url = models.URLField(
        "source URL",
        blank=True,
        validators=[web_address],
        help_text="The vendor's page that holds the pricing and licence facts (pricing or "
        "terms page, not the home page); the link checker watches it.",
    )
    last_checked = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The latest day an editor checked facts against the vendor's page or had "
        "them confirmed by the vendor. Derived from the checks (catalog.provenance); "
        "never typed by hand.",
    )
    # Real times of this database, never typed: fixtures leave them out, so a loaded
    # demo entry is dated when it was loaded (see `save` for `updated`).
    created = models.DateTimeField(
        default=timezone.now, editable=False, help_text="When this entry was added here."
    )
    updated = models.DateTimeField(
        default=timezone.now, editable=False, help_text="When this entry last changed."
    )

    objects = ToolManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="tool_slug_unique"),
            _choices_constraint("status", Status, "tool"),
            _choices_constraint("pricing_model", PricingModel, "tool"),
            _choices_constraint("licence_class", LicenceClass, "tool"),
            _choices_constraint("commercial_use", CommercialUse, "tool"),
            _choices_constraint("output_ownership", Ownership, "tool"),
            _choices_constraint("ip_indemnity", Indemnity, "tool"),
            _choices_constraint("trains_on_user_data", Training, "tool"),
            models.CheckConstraint(
                condition=Q(price_period="") | Q(price_period__in=Period.values),
                name="tool_price_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(starting_price__isnull=True) | Q(starting_price__gte=0),
                name="tool_starting_price_non_negative",
            ),
            _choices_constraint("currency", Currency, "tool"),
            _web_constraint("website", "tool", blank=False),
            _web_constraint("source_url", "tool", blank=True),
            # A free tool has no price; a period says what a price is per, so it needs one.
            models.CheckConstraint(
                condition=~Q(pricing_model=PricingModel.FREE) | Q(starting_price__isnull=True),
                name="tool_free_has_no_price",
            ),
            models.CheckConstraint(
                condition=Q(price_period="") | Q(starting_price__isnull=False),
                name="tool_period_needs_price",
            ),
            models.CheckConstraint(
                condition=Q(review_score__isnull=True) | Q(review_score__range=(1, 5)),
                name="tool_review_score_range",
            ),
        ]
        indexes = [
            # The public catalogue always filters on status, then sorts.
            models.Index(fields=["status", "name"], name="tool_status_name_idx"),
            # Sort "newest".
            models.Index(fields=["status", "-created"], name="tool_status_created_idx"),
            # Sort "recently checked" and the editors' stale filter.
            models.Index(fields=["status", "-last_checked"], name="tool_status_checked_idx"),
            # Sort "price".
            models.Index(fields=["status", "starting_price"], name="tool_status_price_idx"),
            # Sort "editorial score" and the "reviewed" / "score at least N" filter.
            models.Index(fields=["status", "-review_score"], name="tool_status_score_idx"),
            # Facets on single-valued columns.
            models.Index(fields=["pricing_model"], name="tool_pricing_model_idx"),
            models.Index(fields=["commercial_use"], name="tool_commercial_use_idx"),
            models.Index(fields=["licence_class"], name="tool_licence_class_idx"),
            models.Index(fields=["has_free_tier"], name="tool_free_tier_idx"),
            models.Index(fields=["has_public_api"], name="tool_public_api_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:tool_detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def picker_label(self) -> str:
        """How editors' pickers name it: two tools may share a name, never a slug."""
        return f"{self.name} ({self.get_status_display().lower()}, {self.slug})"

    def clean(self) -> None:
        errors = {}
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "A tool cannot replace itself."
        if self.commercial_use == self.CommercialUse.CONDITIONAL and not (
            self.commercial_use_condition
        ):
            errors["commercial_use_condition"] = "Say what the condition is."
        if self.licence_class == LicenceClass.OPEN_SOURCE and not self.licence_spdx:
            errors["licence_spdx"] = "Give the SPDX id of the open-source licence."
        if self.pricing_model == PricingModel.FREE and self.starting_price is not None:
            errors["starting_price"] = (
                "A free tool has no price: empty the starting price, or choose another "
                "pricing model."
            )
        if self.price_period and self.starting_price is None:
            errors["price_period"] = (
                "A period needs a price: give the starting price, or no period."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_discontinued(self) -> bool:
        return self.status == self.Status.DISCONTINUED

    @property
    def is_open(self) -> bool:
        return self.licence_class in (LicenceClass.OPEN_SOURCE, LicenceClass.OPEN_WEIGHTS)

    def is_stale(self, *, today: datetime.date | None = None) -> bool:
        """Never checked by an editor, or last checked too long ago."""
        if self.last_checked is None:
            return True
        today = today or timezone.localdate()
        return (today - self.last_checked).days > settings.CATALOG_STALE_AFTER_DAYS

    def derived_primary_output(self) -> Modality | None:
        """The primary output, derived when empty (queries the outputs then)."""
        if self.primary_output_id:
            return self.primary_output
        return self.output_modalities.order_by("position", "name").first()

    def derived_primary_use_case(self) -> UseCase | None:
        """The primary use case, derived when empty (queries the use cases then)."""
        if self.primary_use_case_id:
            return self.primary_use_case
        return self.use_cases.order_by("position", "name").first()

    def commercial_use_answer(self) -> str:
        """A plain answer to 'may I use the outputs commercially?'."""
        answers = {
            self.CommercialUse.ALLOWED: "Yes. The terms allow commercial use of what it makes.",
            self.CommercialUse.CONDITIONAL: "Yes, with conditions: "
            + (self.commercial_use_condition or "see the terms."),
            self.CommercialUse.NOT_ALLOWED: "No. The terms do not allow commercial use.",
            self.CommercialUse.UNCLEAR: "Unclear. We could not confirm it from the vendor's "
            "terms; check them before you rely on it.",
        }
        return answers[self.CommercialUse(self.commercial_use)]


class PricingPlanManager(models.Manager):
    def get_by_natural_key(self, tool_slug: str, name: str) -> PricingPlan:
        return self.get(tool__slug=tool_slug, name=name)


@reversion.register()
class PricingPlan(models.Model):
    """One plan of a tool; rights that differ by plan are recorded here."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="plans")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=80)
    price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Leave empty for 'contact sales' or unknown.",
    )
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.USD)
    period = models.CharField(max_length=20, choices=Period, blank=True)
    unit = models.CharField(max_length=80, blank=True, help_text="e.g. 'per user', 'per 1M tokens'")
    includes = models.TextField(blank=True)
    commercial_use = models.CharField(
        max_length=20,
        choices=CommercialUse,
        blank=True,
        help_text="Only when this plan's rights differ from the tool's.",
    )

    objects = PricingPlanManager()

    class Meta:
        ordering = ["tool", "position", "price"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "name"], name="pricingplan_tool_name_unique"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="pricingplan_price_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(period="") | Q(period__in=Period.values),
                name="pricingplan_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(commercial_use="") | Q(commercial_use__in=CommercialUse.values),
                name="pricingplan_commercial_use_valid",
            ),
            _choices_constraint("currency", Currency, "pricingplan"),
            models.CheckConstraint(
                condition=Q(period="") | Q(price__isnull=False),
                name="pricingplan_period_needs_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool} — {self.name}"

    def natural_key(self) -> tuple[str, str]:
        return (self.tool.slug, self.name)

    def clean(self) -> None:
        if self.period and self.price is None:
            raise ValidationError({"period": "A period needs a price: give one, or no period."})

    natural_key.dependencies = ["catalog.tool"]  # type: ignore[attr-defined]


# Link rows (a tool tagged with a term) are versioned too: deleting a term saves
# its links, so recovering the term brings them back (catalog.history_admin).
for _relation in Tool._meta.many_to_many:
    reversion.register(_relation.remote_field.through)


class CatalogueVersion(models.Model):
    """A single row whose stamp changes whenever anything a visitor sees changes.

    In-memory facet indexes and HTTP validators (ETag, Last-Modified) key on it,
    so every worker notices an editor's change on its next request. The stamp is
    random rather than a counter so a rolled-back change can never collide with
    a later one.
    """

    stamp = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="catalogueversion_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.stamp} at {self.changed_at:%Y-%m-%d %H:%M:%S}"


def derive_primary(chosen: str | None, tagged: Sequence[str]) -> str | None:
    """The one rule for a tool's primary output or use case, on slugs.

    An editor's choice wins; otherwise the tool's only tag, or else its first tag
    in the vocabulary's order (position, then name), which puts the broad
    everyday kinds (text before image, writing before marketing) first.
    `tagged` must come in that order.
    """
    if chosen:
        return chosen
    return tagged[0] if tagged else None


def _amount(price: Decimal) -> str:
    """Whole amounts without decimals, others with two: 20, 12.50, 0.04."""
    return str(int(price)) if price == price.to_integral_value() else f"{price:.2f}"


# The provenance model lives beside the rules that read it; importing it here is
# what registers it with the app.
from catalog.provenance import Verification  # noqa: E402, F401

"""A small, varied catalogue and answer strategies the wizard's tests share."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings as django_settings
from django.core.management import call_command
from django.http import QueryDict
from hypothesis import strategies as st

from catalog import versioning
from catalog.models import (
    CommercialUse,
    Interaction,
    Modality,
    ModelFamily,
    Platform,
    PricingPlan,
    Tool,
    UseCase,
)
from catalog.wizard.answers import Choices
from catalog.wizard.questions import BUDGETS, PROJECTS, SCALES
from tests.factories import PricingPlanFactory, ToolFactory, VendorFactory

# name: (outputs, inputs, families, use cases, ways of working, platforms, pricing model,
#        free tier, starting price, period, licence, commercial use, trains on data, API)
CATALOGUE: dict[str, tuple] = {
    "Chatty": (["text", "code"], ["text", "image", "document"], ["llm"],
               ["writing-editing", "customer-support", "coding-help", "research-summaries"],
               ["chat", "api"], ["web", "api", "slack", "google-docs"],
               "freemium", True, "20", "month", "proprietary", "allowed", "opt_out", True),
    "Quill": (["text"], ["text"], ["llm"], ["writing-editing", "marketing"], ["form", "plugin"],
              ["google-docs", "microsoft-word"], "subscription", False, "12", "month",
              "proprietary", "allowed", "no", False),
    "Open Llama Runner": (["text", "code"], ["text"], ["llm"], ["coding-help", "writing-editing"],
                          ["chat", "api"], ["self-hosted", "linux"], "self_hosted", False, None,
                          "", "open_weights", "allowed", "no", True),
    "Pixel Forge": (["image"], ["text", "image"], ["diffusion"],
                    ["art-graphics", "marketing", "design"], ["canvas"], ["web", "discord"],
                    "subscription", False, "10", "month", "proprietary", "allowed", "yes", False),
    "Open Diffusion Studio": (["image"], ["text", "image"], ["diffusion"], ["art-graphics"],
                              ["canvas", "api"], ["self-hosted"], "self_hosted", False, None, "",
                              "open_source", "allowed", "no", True),
    "Tune Smith": (["audio"], ["text"], ["diffusion"], ["music-audio"], ["canvas", "form"],
                   ["web"], "freemium", True, "10", "month", "proprietary", "conditional",
                   "opt_out", False),
    "Free Beats": (["audio"], ["text"], ["transformer"], ["music-audio"], ["form"], ["web"],
                   "free", False, None, "", "proprietary", "allowed", "no", False),
    "Song Lab Pro": (["audio"], ["text", "audio"], ["diffusion"], ["music-audio"],
                     ["canvas", "api"], ["web", "api"], "usage", False, "0.05", "usage",
                     "proprietary", "allowed", "no", True),
    "Reel Maker": (["video"], ["text", "image"], ["diffusion", "transformer"],
                   ["video-content", "marketing"], ["canvas", "form"], ["web"], "subscription",
                   False, "30", "month", "proprietary", "allowed", "no", True),
    "Clip Free": (["video"], ["text"], ["diffusion"], ["video-content"], ["canvas"], ["web"],
                  "freemium", True, "15", "month", "proprietary", "conditional", "opt_out", False),
    "Avatar Studio": (["video", "speech"], ["text"], ["transformer"],
                      ["video-content", "voice-speech"], ["form"], ["web", "api"], "contact",
                      False, None, "", "proprietary", "allowed", "no", True),
    "Voice Box": (["speech"], ["text"], ["transformer"], ["voice-speech"], ["form", "api"],
                  ["web", "api"], "usage", False, "5", "usage", "proprietary", "allowed", "no",
                  True),
    "Diagram Bot": (["image", "code"], ["text"], ["llm", "diffusion"], ["coding-help", "design"],
                    ["chat"], ["vs-code", "figma"], "freemium", True, "9", "month",
                    "proprietary", "allowed", "unclear", False),
    "Translate It": (["text"], ["text", "document"], ["llm"], ["translation"], ["form", "plugin"],
                     ["microsoft-word", "google-docs"], "subscription", True, "8", "month",
                     "proprietary", "allowed", "no", True),
    "Mesh Maker": (["3d"], ["text", "image"], ["diffusion"], ["3d-assets"], ["canvas"], ["web"],
                   "subscription", False, "240", "year", "proprietary", "unclear", "unclear",
                   False),
    "Sales Only": (["text"], ["text"], ["llm"], ["customer-support"], ["chat", "api"],
                   ["api", "slack", "microsoft-teams"], "contact", False, None, "",
                   "proprietary", "allowed", "no", True),
    "Shady Gen": (["image"], ["text"], ["gan"], ["art-graphics"], ["canvas"], ["web"],
                  "one_time", False, "49", "one_time", "proprietary", "not_allowed", "yes",
                  False),
    "Data Whiz": (["data", "text"], ["data", "document"], ["llm"],
                  ["data-analysis", "research-summaries"], ["chat"], ["web"], "freemium", True,
                  "25", "month", "proprietary", "allowed", "varies", True),
}  # fmt: skip


def build_catalogue() -> dict[str, Tool]:
    """The real taxonomy plus a small, varied catalogue; a draft and a discontinued tool.

    Built with bulk inserts: saving one by one fires the catalogue-version
    signal hundreds of times and made every test here slow.
    """
    call_command(
        "loaddata", str(django_settings.BASE_DIR / "fixtures" / "taxonomy.json"), verbosity=0
    )
    vocab = {
        "output_modalities": {m.slug: m for m in Modality.objects.all()},
        "input_modalities": {m.slug: m for m in Modality.objects.all()},
        "families": {f.slug: f for f in ModelFamily.objects.all()},
        "use_cases": {u.slug: u for u in UseCase.objects.all()},
        "interactions": {i.slug: i for i in Interaction.objects.all()},
        "platforms": {p.slug: p for p in Platform.objects.all()},
    }
    vendor = VendorFactory(name="Test Vendor")
    rows: list[tuple[Tool, dict[str, list[str]]]] = []
    for name, row in CATALOGUE.items():
        (outs, ins, families, use_cases, work, platforms, pricing, free, price, period,
         licence, commercial, trains, api) = row  # fmt: skip
        tool = ToolFactory.build(
            name=name,
            vendor=vendor,
            pricing_model=pricing,
            has_free_tier=free,
            starting_price=Decimal(price) if price else None,
            price_period=period,
            licence_class=licence,
            licence_spdx="MIT" if licence == "open_source" else "",
            commercial_use=commercial,
            commercial_use_condition="only on paid plans" if commercial == "conditional" else "",
            trains_on_user_data=trains,
            has_public_api=api,
        )
        tags = {
            "output_modalities": outs,
            "input_modalities": ins,
            "families": families,
            "use_cases": use_cases,
            "interactions": work,
            "platforms": platforms,
        }
        rows.append((tool, tags))
    for status in (Tool.Status.DRAFT, Tool.Status.DISCONTINUED):
        hidden = ToolFactory.build(name=f"Hidden {status}", vendor=vendor, status=status,
                                   pricing_model="free")  # fmt: skip
        rows.append((hidden, {"output_modalities": ["audio", "text", "video"],
                              "use_cases": ["music-audio"]}))  # fmt: skip
    Tool.objects.bulk_create([tool for tool, _tags in rows])
    tools = {t.name: Tool.objects.get(name=t.name) for t, _tags in rows}
    for relation, terms in vocab.items():
        through = getattr(Tool, relation).through
        target = getattr(Tool, relation).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(tool_id=tools[tool.name].pk, **{f"{target}_id": terms[slug].pk})
            for tool, tags in rows
            for slug in tags.get(relation, [])
        )
    # Tune Smith's free plan forbids commercial use; its paid plan allows it.
    tune = tools["Tune Smith"]
    PricingPlan.objects.bulk_create(
        [
            PricingPlanFactory.build(
                tool=tune, name="Free", price=0, commercial_use=CommercialUse.NOT_ALLOWED
            ),
            PricingPlanFactory.build(tool=tune, name="Pro", price=10, position=1),
        ]
    )
    versioning.bump()  # bulk inserts send no signal: move the stamp so the facet index follows
    return tools


def static_choices() -> Choices:
    """The vocabularies without a database, for tests of the form and the verdict."""
    mods = ("text", "image", "audio", "speech", "video", "code", "3d", "data", "document")
    return Choices(
        modalities=tuple((m, m.title()) for m in mods),
        interactions=tuple((w, w) for w in ("chat", "form", "canvas", "api", "plugin")),
        integrations=(("slack", "Slack"),),
    )


PROJECT_SLUGS = list(PROJECTS)
MODALITY_SLUGS = ["text", "image", "audio", "speech", "video", "code", "3d", "data", "document"]
WAYS = ["chat", "form", "canvas", "api", "plugin"]
INTEGRATIONS = ["google-docs", "microsoft-word", "figma", "slack", "vs-code", "zapier"]


@st.composite
def query_pairs(draw, ceilings=None, modalities=MODALITY_SLUGS) -> list[tuple[str, str]]:
    """Valid answers as (key, value) pairs, as a form would send them."""
    pairs: list[tuple[str, str]] = []
    for key, options, size in (
        ("project", PROJECT_SLUGS, 3),
        ("output", modalities, 3),
        ("input", modalities, 2),
        ("work", WAYS, 2),
        ("uses", INTEGRATIONS, 2),
    ):
        values = draw(st.lists(st.sampled_from(options), max_size=size, unique=True))
        pairs += [(key, v) for v in values]
    pairs += [("scale", draw(st.sampled_from(["", *SCALES])))]
    budget = draw(st.sampled_from(["", *BUDGETS]))
    pairs += [("budget", budget)]
    if budget == "monthly":
        amounts = st.integers(min_value=0, max_value=60) if ceilings is None else ceilings
        pairs += [("max", str(draw(amounts)))]
    for flag in ("script", "commercial", "open", "private"):
        if draw(st.booleans()):
            pairs.append((flag, "1"))
    return pairs


def to_querydict(pairs) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, value)
    return data

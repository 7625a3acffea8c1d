"""The wizard's engine, without the web layer: the brief's contract, then properties."""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.http import QueryDict
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from catalog import recommend as engine
from catalog import versioning
from catalog.facet_index import get_index
from catalog.models import (
    CommercialUse,
    Interaction,
    LicenceClass,
    Modality,
    ModelFamily,
    Period,
    Platform,
    PricingModel,
    PricingPlan,
    Tool,
    Training,
    UseCase,
)
from catalog.recommend import BOTH, LANGUAGE, MEDIA, UNDECIDED, Answers
from tests.factories import PricingPlanFactory, ToolFactory, VendorFactory

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

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
                          ["chat", "api"], ["self-hosted", "linux"], "open_source", False, None,
                          "", "open_weights", "allowed", "no", True),
    "Pixel Forge": (["image"], ["text", "image"], ["diffusion"],
                    ["art-graphics", "marketing", "design"], ["canvas"], ["web", "discord"],
                    "subscription", False, "10", "month", "proprietary", "allowed", "yes", False),
    "Open Diffusion Studio": (["image"], ["text", "image"], ["diffusion"], ["art-graphics"],
                              ["canvas", "api"], ["self-hosted"], "open_source", False, None, "",
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
            api_available=api,
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


@pytest.fixture
def catalogue(db) -> dict[str, Tool]:
    return build_catalogue()


@pytest.fixture
def choices(catalogue) -> engine.Choices:
    return engine.load_choices()


def answers_from(choices: engine.Choices, query: str) -> Answers:
    return engine.parse_answers(QueryDict(query), choices=choices)


def run(choices: engine.Choices, query: str) -> engine.Recommendation:
    return engine.recommend(answers_from(choices, query), choices=choices)


def names(picks) -> list[str]:
    return [p.tool.name for p in picks]


# ---------------------------------------------------------------------------
# The brief's table is the contract.
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "kind", "stages"),
    [
        ("project=writing-editing", LANGUAGE, []),
        ("project=customer-support", LANGUAGE, []),
        ("project=art-graphics", MEDIA, []),
        ("project=music-audio", MEDIA, []),
        ("project=video-content", MEDIA, []),
        (
            "project=coding-help",
            LANGUAGE,
            [
                "An LLM writes and explains the code",
                "Optional: an image generator draws diagrams and visualisations",
            ],
        ),
        (
            "project=video-content&script=1",
            BOTH,
            ["An LLM writes the script", "A text-to-video tool renders it"],
        ),
        (
            "project=marketing",
            BOTH,
            ["An LLM writes the copy and the prompts", "An image generator makes the visuals"],
        ),
        ("project=writing-editing&output=image", MEDIA, []),
        ("", UNDECIDED, []),
    ],
)
def test_project_types_lead_to_the_briefs_verdict(query, kind, stages):
    answers = engine.parse_answers(QueryDict(query), choices=_static_choices())
    verdict = engine.decide(answers)
    assert verdict.kind == kind
    assert verdict.reasons
    assert [s.title for s in engine.plan_stages(answers, verdict)] == stages


def _static_choices() -> engine.Choices:
    mods = ("text", "image", "audio", "speech", "video", "code", "3d", "data", "document")
    return engine.Choices(
        modalities=tuple((m, m.title()) for m in mods),
        interactions=tuple((w, w) for w in ("chat", "form", "canvas", "api", "plugin")),
        integrations=(("slack", "Slack"),),
    )


def test_media_verdict_says_why_language_models_do_not_fit(choices):
    verdict = run(choices, "project=music-audio").verdict
    assert "You need audio out, which language models do not make." in verdict.reasons


def test_a_chained_video_pipeline_fills_each_stage_with_real_tools(catalogue, choices):
    result = run(choices, "project=video-content&script=1")
    writer, renderer = result.stages
    assert writer.picks and renderer.picks
    for pick in writer.picks:
        assert "text" in {m.slug for m in pick.tool.output_modalities.all()} or any(
            f.is_language for f in pick.tool.families.all()
        )
    assert {p.tool.name for p in renderer.picks} <= {"Reel Maker", "Clip Free", "Avatar Studio"}
    assert set(names(result.shortlist)) == {"Reel Maker", "Clip Free", "Avatar Studio"}


def test_music_free_and_commercial_returns_audio_tools_meeting_both(catalogue, choices):
    result = run(choices, "project=music-audio&budget=free&commercial=1")
    assert names(result.shortlist) == ["Free Beats"]
    pick = result.shortlist[0]
    assert "Makes audio, which you need" in pick.reasons
    assert "Free to use" in pick.reasons
    assert "You may use what it makes commercially" in pick.reasons
    reasons = {key: count for key, _phrase, count in result.exclusions.by_reason}
    # Tune Smith's free plan forbids commercial use; Song Lab Pro has no free way in.
    assert reasons["commercial"] >= 1
    assert reasons["budget"] >= 1
    assert result.exclusions.total == Tool.objects.listed().count() - 1


def test_a_monthly_ceiling_counts_yearly_prices_per_month(catalogue, choices):
    at_19 = run(choices, "output=3d&budget=monthly&max=19")
    at_20 = run(choices, "output=3d&max=20")
    assert names(at_19.shortlist) == []
    assert names(at_20.shortlist) == ["Mesh Maker"]
    assert at_20.answers.budget == "monthly"


def test_a_monthly_ceiling_keeps_pay_per_use_with_a_warning(catalogue, choices):
    result = run(choices, "output=speech&budget=monthly&max=1")
    voice = next(p for p in result.shortlist if p.tool.name == "Voice Box")
    assert any("depends on how much you make" in w for w in voice.warnings)
    assert "Avatar Studio" not in names(result.shortlist)  # contact sales: no public price


def test_open_source_and_private_are_hard_constraints(catalogue, choices):
    result = run(choices, "output=image&open=1&private=1")
    assert names(result.shortlist) == ["Open Diffusion Studio"]
    assert "Open source (MIT)" in result.shortlist[0].reasons


def test_warnings_name_what_to_watch(catalogue, choices):
    result = run(choices, "project=video-content&scale=high_volume")
    by_name = {p.tool.name: p for p in result.shortlist}
    assert "No API" in by_name["Clip Free"].warnings
    assert (
        "Commercial use only with conditions: only on paid plans" in by_name["Clip Free"].warnings
    )
    assert "No free tier" in by_name["Reel Maker"].warnings


def test_drafts_and_discontinued_tools_are_never_recommended(catalogue, choices):
    result = run(choices, "project=music-audio")
    assert not any(p.tool.name.startswith("Hidden") for p in result.shortlist)


def test_ties_break_by_name(catalogue, choices):
    result = run(choices, "")
    listed = sorted(Tool.objects.listed().values_list("name", flat=True), key=str.casefold)
    # Every tool ties: the shortlist is the first ten by name, wherever the cut falls.
    assert names(result.shortlist) == listed[: engine.SHORTLIST_SIZE]
    assert all(p.fit is None for p in result.shortlist)


def test_fit_scores_follow_the_weights(catalogue, choices):
    result = run(choices, "project=music-audio&work=canvas")
    by_name = {p.tool.name: p for p in result.shortlist}
    # Outputs, use case, family and workflow all match: full marks.
    assert by_name["Tune Smith"].fit == 100
    # Free Beats works through a form, not a canvas: it loses the workflow weight.
    total = sum(engine.WEIGHTS[k] for k in ("output", "use_case", "family", "workflow"))
    assert by_name["Free Beats"].fit == round(100 * (total - engine.WEIGHTS["workflow"]) / total)
    assert names(result.shortlist)[-1] == "Free Beats"


def test_featured_status_never_changes_the_ranking(catalogue, choices):
    queries = ["project=art-graphics", "project=writing-editing&work=chat", "", "output=audio"]
    before = [[(p.tool.pk, p.fit) for p in run(choices, q).shortlist] for q in queries]
    Tool.objects.filter(name__in=["Shady Gen", "Quill", "Mesh Maker"]).update(is_featured=True)
    after = [[(p.tool.pk, p.fit) for p in run(choices, q).shortlist] for q in queries]
    assert before == after


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------
def test_parsing_keeps_what_is_valid_and_notes_the_rest():
    answers = engine.parse_answers(
        QueryDict("project=music-audio&project=nonsense&scale=huge&max=-5&commercial=maybe&x=1"),
        choices=_static_choices(),
    )
    assert answers.projects == ("music-audio",)
    assert answers.scale == ""
    assert answers.max_monthly is None
    assert not answers.commercial
    assert len(answers.notes) == 4
    assert any("nonsense" in n for n in answers.notes)


@pytest.mark.parametrize("amount", ["-5", str(10**30), "12.5", "1e3", "100001", "ten"])
def test_absurd_budgets_are_ignored_with_a_note(amount):
    answers = engine.parse_answers(QueryDict(f"max={amount}"), choices=_static_choices())
    assert answers.max_monthly is None
    assert answers.budget == ""
    assert answers.notes


def test_duplicated_single_answers_use_the_first_valid_one():
    answers = engine.parse_answers(
        QueryDict("budget=usage&budget=free&budget=usage"), choices=_static_choices()
    )
    assert answers.budget == "usage"
    assert any("several answers" in n for n in answers.notes)


def test_a_monthly_amount_with_another_budget_is_dropped():
    answers = engine.parse_answers(QueryDict("budget=free&max=20"), choices=_static_choices())
    assert (answers.budget, answers.max_monthly) == ("free", None)
    assert answers.notes


def test_notes_are_capped():
    query = "&".join(f"output=junk{i}" for i in range(100))
    answers = engine.parse_answers(QueryDict(query), choices=_static_choices())
    assert len(answers.notes) == engine.MAX_NOTES + 1


def test_answers_round_trip_through_their_query_string():
    query = "private=1&project=video-content&script=1&max=30&uses=slack&output=video&work=chat"
    answers = engine.parse_answers(QueryDict(query), choices=_static_choices())
    again = engine.parse_answers(QueryDict(answers.querystring()), choices=_static_choices())
    assert again == answers
    assert answers.budget == "monthly"


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------
PROJECT_SLUGS = list(engine.PROJECTS)
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
    pairs += [("scale", draw(st.sampled_from(["", *engine.SCALES])))]
    budget = draw(st.sampled_from(["", *engine.BUDGETS]))
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


def meets_every_must_have(tool: Tool, answers: Answers, *, outputs=None) -> bool:
    """An oracle written without the engine's SQL: does `tool` honour the must-haves?"""
    free = tool.has_free_tier or tool.pricing_model in (PricingModel.FREE, PricingModel.OPEN_SOURCE)
    if answers.budget == "free" and not free:
        return False
    if answers.budget == "monthly" and answers.max_monthly is not None:
        ceiling = Decimal(answers.max_monthly)
        price, period = tool.starting_price, tool.price_period
        fits = (
            free
            or tool.pricing_model == PricingModel.USAGE
            or period == Period.USAGE
            or (
                price is not None and period in (Period.MONTH, Period.ONE_TIME) and price <= ceiling
            )
            or (price is not None and period == Period.YEAR and price <= ceiling * 12)
        )
        if not fits:
            return False
    if answers.commercial:
        if tool.commercial_use not in (CommercialUse.ALLOWED, CommercialUse.CONDITIONAL):
            return False
        if (
            answers.budget == "free"
            and tool.plans.filter(price=0, commercial_use=CommercialUse.NOT_ALLOWED).exists()
        ):
            return False
    if answers.open and not (
        tool.licence_class in (LicenceClass.OPEN_SOURCE, LicenceClass.OPEN_WEIGHTS)
        or tool.pricing_model == PricingModel.OPEN_SOURCE
        or tool.platforms.filter(slug="self-hosted").exists()
    ):
        return False
    if answers.private and tool.trains_on_user_data not in (
        Training.NO,
        Training.OPT_OUT,
        Training.VARIES,
    ):
        return False
    wanted = set(answers.wanted_outputs if outputs is None else outputs)
    makes = set(tool.output_modalities.values_list("slug", flat=True))
    return not wanted or bool(wanted & makes)


@PROPERTY_SETTINGS
@given(pairs=query_pairs())
def test_every_returned_tool_meets_every_must_have(catalogue, choices, pairs):
    answers = engine.parse_answers(to_querydict(pairs), choices=choices)
    result = engine.recommend(answers, choices=choices)
    published = Tool.objects.listed()
    expected = {t.pk for t in published if meets_every_must_have(t, answers)}
    assert result.matching == expected
    assert {p.tool.pk for p in result.shortlist} <= expected
    assert len(result.shortlist) == min(len(expected), engine.SHORTLIST_SIZE)
    assert result.exclusions.total == published.count() - len(expected)
    for stage in result.stages:
        for pick in stage.picks:
            # A stage makes its own output; every other must-have still holds.
            assert meets_every_must_have(pick.tool, answers, outputs=())


STRENGTHENINGS = ["commercial", "open", "private", "free", "ceiling", "output"]


def strengthen(answers: Answers, how: str, amount: int) -> Answers | None:
    """`answers` with one more (or one stricter) hard constraint, if that applies."""
    if how in ("commercial", "open", "private"):
        return None if getattr(answers, how) else replace(answers, **{how: True})
    if how == "free":
        return replace(answers, budget="free", max_monthly=None)
    if how == "ceiling":
        if answers.budget == "free":
            return None
        current = answers.max_monthly if answers.budget == "monthly" else None
        ceiling = amount if current is None else min(amount, current)
        return replace(answers, budget="monthly", max_monthly=ceiling)
    if answers.wanted_outputs:
        return None
    return replace(answers, outputs=("audio",))


@PROPERTY_SETTINGS
@given(
    pairs=query_pairs(),
    how=st.sampled_from(STRENGTHENINGS),
    amount=st.integers(min_value=0, max_value=60),
)
def test_adding_a_must_have_never_adds_a_tool(catalogue, choices, pairs, how, amount):
    answers = engine.parse_answers(to_querydict(pairs), choices=choices)
    stricter = strengthen(answers, how, amount)
    if stricter is None:
        return
    before = engine.recommend(answers, choices=choices)
    after = engine.recommend(stricter, choices=choices)
    assert after.matching <= before.matching
    assert after.exclusions.total >= before.exclusions.total


@PROPERTY_SETTINGS
@given(data=st.data())
def test_scores_do_not_depend_on_answer_order(catalogue, choices, data):
    pairs = data.draw(query_pairs())
    shuffled = data.draw(st.permutations(pairs))
    first = engine.parse_answers(to_querydict(pairs), choices=choices)
    second = engine.parse_answers(to_querydict(shuffled), choices=choices)
    assert first == second

    def summary(result):
        return [(p.tool.pk, p.fit, p.reasons, p.warnings) for p in result.shortlist], [
            [(p.tool.pk, p.fit) for p in s.picks] for s in result.stages
        ]

    assert summary(engine.recommend(first, choices=choices)) == summary(
        engine.recommend(second, choices=choices)
    )


# ---------------------------------------------------------------------------
# Exactness: the facet-index engine equals the straightforward one
# ---------------------------------------------------------------------------
# Few modalities, so answers and tools meet often enough to rank something.
FEW_MODALITIES = ["text", "image", "audio", "video"]
FAMILY_SLUGS = ["llm", "transformer", "diffusion", "gan", "vae", "other"]
PLATFORM_SLUGS = ["web", "api", "self-hosted", "linux", *INTEGRATIONS]
# Names that tie once case is ignored, so the tie-break by name is exercised.
TOOL_NAMES = ["Alpha", "alpha", "ALPHA", "Beta", "beta", "Gamma", "delta", "Delta"]
CEILINGS = st.sampled_from([0, 10, 20, 60])


def price_in_cents():
    """Prices on, just under and just over the monthly ceilings the answers use (0-60 a
    month, or twelve times that a year), so the "at most" boundary is exercised."""
    units = CEILINGS.flatmap(lambda n: st.sampled_from([n, n * 12]))
    return st.builds(lambda u, d: max(0, u * 100 + d), units, st.sampled_from([0, 0, -1, 1]))


def _subset(options: list[str], size: int, *, min_size: int = 0):
    return st.lists(st.sampled_from(options), min_size=min_size, max_size=size, unique=True)


random_tool = st.fixed_dictionaries(
    {
        "name": st.sampled_from(TOOL_NAMES),
        "status": st.sampled_from([*Tool.Status.values, *[Tool.Status.PUBLISHED] * 3]),
        "pricing_model": st.sampled_from(PricingModel.values),
        "has_free_tier": st.booleans(),
        "starting_price": st.one_of(st.none(), price_in_cents()),
        "price_period": st.sampled_from(["", *Period.values]),
        "licence_class": st.sampled_from(LicenceClass.values),
        "commercial_use": st.sampled_from(CommercialUse.values),
        "trains_on_user_data": st.sampled_from(Training.values),
        "ip_indemnity": st.sampled_from(Tool.Indemnity.values),
        "api_available": st.booleans(),
        "output_modalities": _subset(FEW_MODALITIES, 3, min_size=1),
        "input_modalities": _subset(FEW_MODALITIES, 2),
        "families": _subset(FAMILY_SLUGS, 2),
        "use_cases": _subset(PROJECT_SLUGS, 3),
        "interactions": _subset(WAYS, 2),
        "platforms": _subset(PLATFORM_SLUGS, 3),
        "plans": st.lists(
            st.tuples(
                st.sampled_from([0, 0, None, 10]),
                st.sampled_from([CommercialUse.NOT_ALLOWED, "", CommercialUse.ALLOWED]),
            ),
            max_size=2,
        ),
    }
)
RELATIONS = ("output_modalities", "input_modalities", "families", "use_cases", "interactions",
             "platforms")  # fmt: skip


@pytest.fixture
def taxonomy(db) -> dict[str, dict]:
    call_command(
        "loaddata", str(django_settings.BASE_DIR / "fixtures" / "taxonomy.json"), verbosity=0
    )
    return {
        relation: {t.slug: t for t in getattr(Tool, relation).field.related_model.objects.all()}
        for relation in RELATIONS
    }


COLUMNS = ("status", "pricing_model", "has_free_tier", "price_period", "licence_class",
           "commercial_use", "trains_on_user_data", "ip_indemnity", "api_available")  # fmt: skip


def random_tool_row(n: int, spec: dict, vendor) -> Tool:
    cents = spec["starting_price"]
    conditional = spec["commercial_use"] == CommercialUse.CONDITIONAL
    return ToolFactory.build(
        name=spec["name"],
        slug=f"tool-{n}",
        vendor=vendor,
        starting_price=None if cents is None else Decimal(cents) / 100,
        licence_spdx="MIT" if spec["licence_class"] == LicenceClass.OPEN_SOURCE else "",
        commercial_use_condition="on paid plans" if conditional else "",
        **{column: spec[column] for column in COLUMNS},
    )


def build_random_catalogue(taxonomy: dict[str, dict], specs: list[dict]) -> None:
    Tool.objects.all().delete()
    vendor = VendorFactory(name="Random Vendor")
    Tool.objects.bulk_create(random_tool_row(n, spec, vendor) for n, spec in enumerate(specs))
    tools = sorted(Tool.objects.all(), key=lambda t: int(t.slug.removeprefix("tool-")))
    for relation in RELATIONS:
        through = getattr(Tool, relation).through
        target = getattr(Tool, relation).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(tool_id=tool.pk, **{f"{target}_id": taxonomy[relation][slug].pk})
            for tool, spec in zip(tools, specs, strict=True)
            for slug in spec[relation]
        )
    PricingPlan.objects.bulk_create(
        PricingPlanFactory.build(tool=tool, name=f"Plan {i}", price=price, commercial_use=use)
        for tool, spec in zip(tools, specs, strict=True)
        for i, (price, use) in enumerate(spec["plans"])
    )
    versioning.bump()


def outcome(result: engine.Recommendation) -> dict:
    def picks(ps):
        return [(p.tool.pk, p.fit, p.points, p.reasons, p.warnings) for p in ps]

    return {
        "verdict": result.verdict,
        "shortlist": picks(result.shortlist),
        "stages": [(s.title, picks(s.picks)) for s in result.stages],
        "matching": result.matching,
        "exclusions": result.exclusions,
    }


@settings(
    max_examples=int(os.environ.get("WIZARD_EXACTNESS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(random_tool, min_size=4, max_size=16),
    pairs=st.lists(query_pairs(CEILINGS, FEW_MODALITIES), min_size=1, max_size=4),
    sizes=st.sampled_from([(engine.SHORTLIST_SIZE, engine.STAGE_SIZE), (3, 1), (1, 2)]),
)
def test_the_index_engine_equals_the_straightforward_one(
    taxonomy, monkeypatch, specs, pairs, sizes
):
    # Short lists as well as the real ones, so picking the best few out of many
    # (and ties at the cut) is exercised on small catalogues.
    monkeypatch.setattr(engine, "SHORTLIST_SIZE", sizes[0])
    monkeypatch.setattr(engine, "STAGE_SIZE", sizes[1])
    build_random_catalogue(taxonomy, specs)
    index = get_index()
    choices = engine.load_choices()
    assert engine.choices_from_index(index) == choices
    for answer_pairs in pairs:
        answers = engine.parse_answers(to_querydict(answer_pairs), choices=choices)
        fast = engine.recommend(answers, choices=choices, index=index)
        slow = engine.recommend_sql(answers, choices=choices)
        assert outcome(fast) == outcome(slow)
        for key, _phrase, _count in slow.exclusions.by_reason:
            event(f"left out for {key}")
        event(f"{len(slow.shortlist)} picks, {len(slow.stages)} stages")
        if len(slow.matching) > len(slow.shortlist):
            event("cut")
        # The left-out list: the same tools, breaking the same must-haves.
        left_out = engine.ExcludedTools(answers, index=index)
        listed = {
            t.pk: engine.broken_constraints(t, answers, choices)
            for t in left_out[0 : len(left_out)]
        }
        assert listed == {
            t.pk: engine.broken_constraints(t, answers, choices)
            for t in engine.excluded_tools(answers)
        }

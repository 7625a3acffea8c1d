"""The wizard's engine without the web layer: the verdict table is the contract, then
properties that hold for any answers."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import (
    CommercialUse,
    LicenceClass,
    Period,
    PricingModel,
    Tool,
    Training,
)
from catalog.wizard import engine
from catalog.wizard.answers import Answers, Choices
from catalog.wizard.forms import read_answers
from catalog.wizard.pipeline import decide, plan_stages
from catalog.wizard.questions import BOTH, LANGUAGE, MEDIA, UNDECIDED
from catalog.wizard.scoring import WEIGHTS
from tests import wizard_oracle as oracle
from tests.wizard_catalogue import (
    build_catalogue,
    query_pairs,
    static_choices,
    to_querydict,
)

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def catalogue(db) -> dict[str, Tool]:
    return build_catalogue()


@pytest.fixture
def choices(catalogue) -> Choices:
    return oracle.load_choices()


def answers_from(choices: Choices, query: str) -> Answers:
    return read_answers(QueryDict(query), choices=choices)


def run(choices: Choices, query: str) -> engine.Recommendation:
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
    answers = read_answers(QueryDict(query), choices=static_choices())
    verdict = decide(answers)
    assert verdict.kind == kind
    assert verdict.reasons
    assert [s.title for s in plan_stages(answers, verdict)] == stages


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
    total = sum(WEIGHTS[k] for k in ("output", "use_case", "family", "workflow"))
    assert by_name["Free Beats"].fit == round(100 * (total - WEIGHTS["workflow"]) / total)
    assert names(result.shortlist)[-1] == "Free Beats"


def test_featured_status_never_changes_the_ranking(catalogue, choices):
    queries = ["project=art-graphics", "project=writing-editing&work=chat", "", "output=audio"]
    before = [[(p.tool.pk, p.fit) for p in run(choices, q).shortlist] for q in queries]
    Tool.objects.filter(name__in=["Shady Gen", "Quill", "Mesh Maker"]).update(is_featured=True)
    after = [[(p.tool.pk, p.fit) for p in run(choices, q).shortlist] for q in queries]
    assert before == after


def meets_every_must_have(tool: Tool, answers: Answers, *, outputs=None) -> bool:
    """An oracle written without the engine's SQL: does `tool` honour the must-haves?"""
    free = tool.has_free_tier or tool.pricing_model in (PricingModel.FREE, PricingModel.SELF_HOSTED)
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
        or tool.pricing_model == PricingModel.SELF_HOSTED
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
    answers = read_answers(to_querydict(pairs), choices=choices)
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
    answers = read_answers(to_querydict(pairs), choices=choices)
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
    first = read_answers(to_querydict(pairs), choices=choices)
    second = read_answers(to_querydict(shuffled), choices=choices)
    assert first == second

    def summary(result):
        return [(p.tool.pk, p.fit, p.reasons, p.warnings) for p in result.shortlist], [
            [(p.tool.pk, p.fit) for p in s.picks] for s in result.stages
        ]

    assert summary(engine.recommend(first, choices=choices)) == summary(
        engine.recommend(second, choices=choices)
    )

"""The wizard written the straightforward way: SQL, then Python one tool at a time.

Kept only as the oracle for the exactness test (tests/test_wizard_exactness.py):
`catalog.wizard` must return exactly what `recommend_sql` returns. Its cost
grows with the catalogue, which is why the application never calls it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from pyroaring import BitMap

from catalog.models import (
    CommercialUse,
    Interaction,
    LicenceClass,
    Modality,
    Period,
    Platform,
    PricingModel,
    PricingPlan,
    Tool,
    Training,
)
from catalog.wizard import engine
from catalog.wizard.answers import Answers, Choices
from catalog.wizard.engine import Exclusions, Recommendation
from catalog.wizard.explain import exclusion_reason
from catalog.wizard.pipeline import Stage, decide, plan_stages
from catalog.wizard.questions import LANGUAGE
from catalog.wizard.rules import SELF_HOSTED_PLATFORM
from catalog.wizard.scoring import Judged, Pick, ToolTerms, score, sides_of

CANDIDATE_RELATIONS = (
    "input_modalities",
    "output_modalities",
    "families",
    "use_cases",
    "platforms",
    "interactions",
)


def load_choices() -> Choices:
    """Three small queries: modalities, ways of working, integrations."""
    return Choices(
        modalities=tuple(Modality.objects.values_list("slug", "name")),
        interactions=tuple(Interaction.objects.values_list("slug", "name")),
        integrations=tuple(
            Platform.objects.filter(kind=Platform.Kind.INTEGRATION).values_list("slug", "name")
        ),
    )


def terms_from_relations(tool: Tool) -> ToolTerms:
    """Reads only prefetched relations (see CANDIDATE_RELATIONS)."""
    return ToolTerms(
        outputs={m.slug: m.name for m in tool.output_modalities.all()},
        inputs={m.slug: m.name for m in tool.input_modalities.all()},
        use_cases={u.slug: u.name for u in tool.use_cases.all()},
        interactions={i.slug: i.name for i in tool.interactions.all()},
        families=tuple((f.slug, f.name, f.is_language) for f in tool.families.all()),
        platforms=tuple(
            (p.slug, p.name, p.kind == Platform.Kind.INTEGRATION) for p in tool.platforms.all()
        ),
    )


# ---------------------------------------------------------------------------
# Must-haves in SQL
# ---------------------------------------------------------------------------
def _related(relation: str, **lookup: Any) -> Exists:
    """EXISTS over a many-to-many relation, so no join multiplies rows."""
    through = getattr(Tool, relation).through
    target = getattr(Tool, relation).field.m2m_reverse_field_name()
    filters = {f"{target}__{name}": value for name, value in lookup.items()}
    return Exists(through.objects.filter(tool_id=OuterRef("pk"), **filters))


_FREE_TO_USE = Q(has_free_tier=True) | Q(
    pricing_model__in=[PricingModel.FREE, PricingModel.SELF_HOSTED]
)


def _within_monthly(amount: int) -> Q:
    """Some way in costs at most `amount` a month (pay-per-use counts: no fixed fee)."""
    ceiling = Decimal(amount)
    return (
        _FREE_TO_USE
        | Q(pricing_model=PricingModel.USAGE)
        | Q(price_period=Period.USAGE)
        | Q(price_period__in=[Period.MONTH, Period.ONE_TIME], starting_price__lte=ceiling)
        | Q(price_period=Period.YEAR, starting_price__lte=ceiling * 12)
    )


def hard_constraints(answers: Answers) -> dict[str, Q]:
    """One Q per must-have the reader set, keyed like `catalog.wizard.rules.must_haves`."""
    constraints: dict[str, Q] = {}
    if answers.budget == "free":
        constraints["budget"] = _FREE_TO_USE
    elif answers.budget == "monthly" and answers.max_monthly is not None:
        constraints["budget"] = _within_monthly(answers.max_monthly)
    if answers.commercial:
        commercial = Q(commercial_use__in=[CommercialUse.ALLOWED, CommercialUse.CONDITIONAL])
        if answers.budget == "free":
            free_plan_forbids = PricingPlan.objects.filter(
                tool=OuterRef("pk"), price=0, commercial_use=CommercialUse.NOT_ALLOWED
            )
            commercial &= ~Exists(free_plan_forbids)
        constraints["commercial"] = commercial
    if answers.open:
        constraints["open"] = (
            Q(licence_class__in=[LicenceClass.OPEN_SOURCE, LicenceClass.OPEN_WEIGHTS])
            | Q(pricing_model=PricingModel.SELF_HOSTED)
            | Q(_related("platforms", slug=SELF_HOSTED_PLATFORM))
        )
    if answers.private:
        constraints["private"] = Q(
            trains_on_user_data__in=[Training.NO, Training.OPT_OUT, Training.VARIES]
        )
    if answers.wanted_outputs:
        constraints["output"] = Q(
            _related("output_modalities", slug__in=list(answers.wanted_outputs))
        )
    return constraints


def _all(constraints: Iterable[Q]) -> Q:
    combined = Q()
    for q in constraints:
        combined &= q
    return combined


# ---------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------
def recommend_sql(
    answers: Answers, *, choices: Choices | None = None, base: QuerySet | None = None
) -> Recommendation:
    """What `catalog.wizard.recommend` must return, computed the plain way."""
    base = Tool.objects.listed() if base is None else base
    verdict = decide(answers, choices=choices)
    stages = plan_stages(answers, verdict)
    constraints = hard_constraints(answers)
    outputs = answers.wanted_outputs

    scope = _all(q for key, q in constraints.items() if key != "output")
    reach = list(dict.fromkeys([*outputs, *(o for s in stages for o in s.outputs)]))
    if reach:
        wide = Q(_related("output_modalities", slug__in=reach))
        if any(s.side == LANGUAGE for s in stages):
            wide |= Q(_related("families", is_language=True))
        scope &= wide
    candidates = list(
        base.filter(scope)
        .select_related("vendor")
        .prefetch_related(*CANDIDATE_RELATIONS)
        .order_by("name", "pk")
    )

    wanted = set(outputs)
    matching = [
        t for t in candidates if not wanted or wanted & {m.slug for m in t.output_modalities.all()}
    ]
    whole = Judged(outputs, verdict.sides, answers.projects)
    shortlist = _ranked(_score(t, answers, whole) for t in matching)
    stages = tuple(
        replace(stage, picks=tuple(_stage_picks(stage, candidates, answers))) for stage in stages
    )
    return Recommendation(
        answers=answers,
        verdict=verdict,
        stages=stages,
        shortlist=tuple(shortlist[: engine.SHORTLIST_SIZE]),
        matching_ids=BitMap(t.pk for t in matching),
        exclusions=_exclusions(base, constraints, answers, choices),
    )


def _score(tool: Tool, answers: Answers, judged: Judged) -> Pick:
    return score(tool, answers=answers, judged=judged, terms=terms_from_relations(tool))


def _ranked(picks: Iterable[Pick]) -> list[Pick]:
    """Most points first; ties by name as the catalogue sorts it (facet_index ranks["name"])."""
    return sorted(picks, key=lambda p: (-p.points, p.tool.name.casefold(), p.tool.name, p.tool.pk))


def _stage_picks(stage: Stage, candidates: list[Tool], answers: Answers) -> list[Pick]:
    def belongs(tool: Tool) -> bool:
        makes = {m.slug for m in tool.output_modalities.all()}
        if makes & set(stage.outputs):
            return True
        return stage.side == LANGUAGE and LANGUAGE in sides_of(terms_from_relations(tool))

    judged = Judged(stage.outputs, (stage.side,), stage.projects)
    picks = [_score(t, answers, judged) for t in candidates if belongs(t)]
    return _ranked(picks)[: engine.STAGE_SIZE]


def _exclusions(
    base: QuerySet, constraints: dict[str, Q], answers: Answers, choices: Choices | None
) -> Exclusions:
    if not constraints:
        return Exclusions(total=0, by_reason=())
    counts = base.aggregate(
        excluded=Count("pk", filter=~_all(constraints.values())),
        **{key: Count("pk", filter=~q) for key, q in constraints.items()},
    )
    by_reason = tuple(
        (key, exclusion_reason(key, answers, choices), counts[key])
        for key in constraints
        if counts[key]
    )
    return Exclusions(total=counts["excluded"], by_reason=by_reason)


def excluded_tools(answers: Answers, *, base: QuerySet | None = None) -> QuerySet:
    """Tools that break a must-have, each annotated `breaks_<key>` for every one it breaks."""
    base = Tool.objects.listed() if base is None else base
    constraints = hard_constraints(answers)
    if not constraints:
        return base.none()
    flags = {
        f"breaks_{key}": Case(
            When(q, then=Value(False)), default=Value(True), output_field=BooleanField()
        )
        for key, q in constraints.items()
    }
    return base.exclude(_all(constraints.values())).annotate(**flags).order_by("name", "pk")

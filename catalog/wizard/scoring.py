"""How well one tool fits: preferences as small named steps, each worth a weight.

A tool's fit is the points it earns over the points it could have earned from
the questions actually answered, as a percentage; questions left blank
neither help nor hurt. Must-haves carry no weight: they filter (`rules`).
`ranking` computes the same points for every tool at once; this module words
the fit, reasons and warnings of the few tools a page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from catalog.facet_index import FacetIndex
from catalog.models import Period, PricingModel, Tool
from catalog.taxonomy import Taxonomy
from catalog.wizard import explain
from catalog.wizard.answers import Answers
from catalog.wizard.explain import and_, word
from catalog.wizard.questions import LANGUAGE, MEDIA
from catalog.wizard.rules import UNKNOWN_FAMILY

# How much each preference counts: the one place that says it.
WEIGHTS: dict[str, int] = {
    # Share of the required outputs the tool makes. The output decides the
    # kind of tool before anything else, so it weighs most.
    "output": 30,
    # Editors tagged the tool for the chosen project type(s).
    "use_case": 20,
    # The tool runs on the kind of model the verdict calls for (an LLM for
    # language work, a diffusion/GAN/VAE/multimodal model for media).
    "family": 10,
    # It supports a way of working the reader asked for.
    "workflow": 12,
    # Fits the scale (no commitment for one-offs, integrations or an API for
    # teams, an API for high volume).
    "scale": 12,
    # Share of the reader's existing tools it plugs into.
    "integration": 10,
    # Share of the reader's inputs it accepts.
    "input": 8,
    # Soft budget answers only: pay-per-use pricing or enterprise terms.
    "budget": 6,
}


@dataclass(frozen=True)
class Judged:
    """What a tool is judged for: the whole project, or one stage of a pipeline."""

    outputs: tuple[str, ...]
    sides: tuple[str, ...]  # the kinds of model wanted (LANGUAGE, MEDIA)
    projects: tuple[str, ...]  # the use cases wanted


@dataclass(frozen=True)
class Pick:
    tool: Tool
    fit: int | None  # 0-100, None when no preference was answered
    points: Fraction
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ToolTerms:
    """What scoring reads from a tool's relations: slug -> name, in the vocabulary's order."""

    outputs: dict[str, str]
    inputs: dict[str, str]
    use_cases: dict[str, str]
    interactions: dict[str, str]
    families: tuple[tuple[str, str, bool], ...]  # (slug, name, is a language model)
    platforms: tuple[tuple[str, str, bool], ...]  # (slug, name, is an integration)


def terms_from_index(
    index: FacetIndex, tool_id: int, orders: dict[str, dict[str, int]] | None = None
) -> ToolTerms:
    """A tool's terms, read from the facet index (no query).

    `orders` (from `vocabulary_orders`) can be shared between tools.
    """
    taxonomy = index.taxonomy
    orders = vocabulary_orders(taxonomy) if orders is None else orders

    def named(facet: str, vocabulary: str) -> list[tuple[str, str]]:
        order = orders[vocabulary]
        slugs = sorted(index.slugs_of(facet, tool_id), key=lambda s: order.get(s, len(order)))
        return [(slug, taxonomy.name(vocabulary, slug)) for slug in slugs]

    return ToolTerms(
        outputs=dict(named("output", "modalities")),
        inputs=dict(named("input", "modalities")),
        use_cases=dict(named("use", "use_cases")),
        interactions=dict(named("work", "interactions")),
        families=tuple(
            (s, n, s in index.language_families) for s, n in named("family", "families")
        ),
        platforms=tuple((s, n, s in index.integrations) for s, n in named("platform", "platforms")),
    )


def vocabulary_orders(taxonomy: Taxonomy) -> dict[str, dict[str, int]]:
    """Slug -> position in each vocabulary's own order (the order `.all()` returns)."""
    return {
        vocabulary: {t.slug: n for n, t in enumerate(getattr(taxonomy, vocabulary))}
        for vocabulary in ("modalities", "use_cases", "interactions", "families", "platforms")
    }


def sides_of(terms: ToolTerms) -> set[str]:
    """The kinds of model a tool runs on (LANGUAGE, MEDIA), from its families."""
    sides = set()
    for slug, _name, is_language in terms.families:
        if is_language:
            sides.add(LANGUAGE)
        elif slug != UNKNOWN_FAMILY:
            sides.add(MEDIA)
    return sides


def free_to_start(tool: Tool) -> bool:
    return tool.has_free_tier or tool.pricing_model in (PricingModel.FREE, PricingModel.SELF_HOSTED)


def pay_per_use(tool: Tool) -> bool:
    return tool.pricing_model == PricingModel.USAGE or tool.price_period == Period.USAGE


# ---------------------------------------------------------------------------
# The steps: one preference each. A step returns None when the reader did not
# answer its question (then it neither helps nor hurts), else an `Award`.
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Award:
    key: str  # a WEIGHTS key
    share: Fraction  # the part of the weight earned, 0 to 1
    reason: str  # said when something was earned
    warning: str = ""  # said either way


Step = Callable[[Tool, ToolTerms, Answers, Judged], "Award | None"]


def _share(hit: list, wanted: tuple | list) -> Fraction:
    return Fraction(len(hit), len(wanted))


def makes_what_you_need(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    if not judged.outputs:
        return None
    hit = [word(terms.outputs[o]) for o in judged.outputs if o in terms.outputs]
    miss = [word(o) for o in judged.outputs if o not in terms.outputs]
    warning = f"Does not make {and_(miss)}: pair it with another tool" if hit and miss else ""
    return Award(
        "output", _share(hit, judged.outputs), f"Makes {and_(hit)}, which you need", warning
    )


def built_for_the_project(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    if not judged.projects:
        return None
    hit = [terms.use_cases[p] for p in judged.projects if p in terms.use_cases]
    reason = f"Built for {and_(h.lower() for h in hit)}"
    return Award("use_case", _share(hit, judged.projects), reason)


def runs_on_the_right_model(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    wanted = set(judged.sides)
    if not wanted:
        return None
    has = sides_of(terms) & wanted
    families = [name for slug, name, _lang in terms.families if slug != UNKNOWN_FAMILY]
    reason = f"Runs on the right kind of model: {and_(families)}"
    return Award("family", Fraction(len(has), len(wanted)), reason)


def takes_your_inputs(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    if not answers.inputs:
        return None
    takes = {slug: word(name) for slug, name in terms.inputs.items()}
    hit = [takes[i] for i in answers.inputs if i in takes]
    return Award("input", _share(hit, answers.inputs), f"Takes {and_(hit)}")


def works_your_way(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    if not answers.work:
        return None
    hit = [terms.interactions[w] for w in answers.work if w in terms.interactions]
    return Award("workflow", Fraction(int(bool(hit))), f"Works the way you want: {and_(hit)}")


def plugs_into_your_tools(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    if not answers.uses:
        return None
    plugs = {slug: name for slug, name, _integration in terms.platforms}
    hit = [plugs[u] for u in answers.uses if u in plugs]
    return Award("integration", _share(hit, answers.uses), f"Plugs into {and_(hit)}")


def fits_the_scale(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    if answers.scale == "one_off":
        no_commitment = free_to_start(tool) or pay_per_use(tool)
        no_commitment = no_commitment or tool.price_period == Period.ONE_TIME
        return Award(
            "scale", Fraction(int(no_commitment)), "No subscription needed for a one-off job"
        )
    if answers.scale == "team":
        fits_team = tool.has_public_api or any(integration for *_, integration in terms.platforms)
        reason = "Fits a team's tools, with integrations or an API"
        return Award("scale", Fraction(int(fits_team)), reason)
    if answers.scale == "high_volume":
        warning = ""
        if sides_of(terms) == {MEDIA}:
            warning = "Media generators hit rate limits sooner at volume: check the plan"
        reason = "Has an API for automated, high-volume work"
        return Award("scale", Fraction(int(tool.has_public_api)), reason, warning)
    return None


def priced_your_way(tool: Tool, terms: ToolTerms, answers: Answers, judged: Judged):
    if answers.budget == "usage":
        return Award("budget", Fraction(int(pay_per_use(tool))), "Priced per use, as you prefer")
    if answers.budget == "enterprise":
        enterprise = tool.pricing_model == PricingModel.CONTACT or tool.ip_indemnity in (
            Tool.Indemnity.YES,
            Tool.Indemnity.PAID_PLANS,
        )
        return Award("budget", Fraction(int(enterprise)), "Offers enterprise terms or IP indemnity")
    return None


STEPS: tuple[Step, ...] = (
    makes_what_you_need,
    built_for_the_project,
    runs_on_the_right_model,
    takes_your_inputs,
    works_your_way,
    plugs_into_your_tools,
    fits_the_scale,
    priced_your_way,
)


def score(tool: Tool, *, answers: Answers, judged: Judged, terms: ToolTerms) -> Pick:
    """One tool's fit, reasons and warnings for what it is `judged` for.

    `ranking.Points` ranks the whole catalogue with the same weights; the
    exactness test (tests/test_wizard_exactness.py) proves both rank alike.
    """
    awards = [award for step in STEPS if (award := step(tool, terms, answers, judged))]
    possible = sum(WEIGHTS[a.key] for a in awards)
    earned = sum((WEIGHTS[a.key] * a.share for a in awards), Fraction(0))
    reasons = [a.reason for a in awards if a.share]
    reasons += explain.must_have_reasons(tool, answers)
    warnings = [a.warning for a in awards if a.warning]
    warnings += explain.warnings(
        tool, answers, free_to_start=free_to_start(tool), pay_per_use=pay_per_use(tool)
    )
    return Pick(
        tool=tool,
        fit=round(100 * earned / possible) if possible else None,
        points=earned,
        reasons=tuple(reasons),
        warnings=tuple(dict.fromkeys(warnings)),
    )

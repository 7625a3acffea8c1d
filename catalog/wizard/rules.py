"""Must-haves: which tools the reader's hard constraints keep, on the facet index.

A must-have (a budget ceiling, commercial use, open source or self-hosting,
no training on your data, the required output) filters; it never weighs.
Each is a bitmap of the tools that meet it, so the tools kept are one
intersection and every exclusion count one cardinality, whatever the size of
the catalogue. `tests/wizard_oracle.py` states the same rules in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyroaring import BitMap

from catalog.facet_index import FREE_PLAN_FORBIDS_COMMERCIAL, FacetIndex
from catalog.models import CommercialUse, LicenceClass, Period, PricingModel, Tool, Training
from catalog.wizard.answers import Answers

# What `Tool.objects.listed()` lists, as statuses of the facet index.
LISTED_STATUSES = (Tool.Status.PUBLISHED,)
# A family slug that says nothing about the kind of model.
UNKNOWN_FAMILY = "other"
SELF_HOSTED_PLATFORM = "self-hosted"


@dataclass(frozen=True)
class DerivedSets:
    """Unions of index bitmaps that several must-haves and preferences share."""

    free_to_start: BitMap  # a free tier, free, or open source
    pay_per_use: BitMap
    language: BitMap  # runs on a language model family
    media: BitMap  # runs on a family that is neither a language model nor "other"

    @classmethod
    def of(cls, index: FacetIndex) -> DerivedSets:
        families = index.bitmaps.get("family", {})
        language = [b for s, b in families.items() if s in index.language_families]
        media = [
            b
            for s, b in families.items()
            if s not in index.language_families and s != UNKNOWN_FAMILY
        ]
        return cls(
            free_to_start=any_of(
                index,
                ("free", "1"),
                ("pricing", PricingModel.FREE),
                ("pricing", PricingModel.SELF_HOSTED),
            ),
            pay_per_use=any_of(index, ("pricing", PricingModel.USAGE), ("period", Period.USAGE)),
            language=BitMap.union(BitMap(), *language),
            media=BitMap.union(BitMap(), *media),
        )


def bitmap(index: FacetIndex, name: str, value: str) -> BitMap:
    """The tools with one value of one index column ("" when none)."""
    return index.bitmaps.get(name, {}).get(str(value), BitMap())


def any_of(index: FacetIndex, *options: tuple[str, str]) -> BitMap:
    return BitMap.union(BitMap(), *(bitmap(index, name, value) for name, value in options))


def intersect(base: BitMap, masks: Iterable[BitMap]) -> BitMap:
    result = BitMap(base)
    for mask in masks:
        result &= mask
    return result


def must_haves(
    index: FacetIndex, answers: Answers, *, sets: DerivedSets | None = None
) -> dict[str, BitMap]:
    """Must-have key -> every tool that meets it, for the must-haves the reader set.

    Keys are "budget", "commercial", "open", "private" and "output", in that
    order (the order reasons are listed in).
    """
    sets = DerivedSets.of(index) if sets is None else sets
    masks: dict[str, BitMap] = {}
    if answers.budget == "free":
        masks["budget"] = sets.free_to_start
    elif answers.budget == "monthly" and answers.max_monthly is not None:
        masks["budget"] = _within_monthly(index, sets, answers.max_monthly)
    if answers.commercial:
        commercial = any_of(
            index, ("commercial", CommercialUse.ALLOWED), ("commercial", CommercialUse.CONDITIONAL)
        )
        if answers.budget == "free":
            # Free only + commercial: the free plan itself must not forbid it.
            commercial -= bitmap(index, FREE_PLAN_FORBIDS_COMMERCIAL, "1")
        masks["commercial"] = commercial
    if answers.open:
        masks["open"] = any_of(
            index,
            ("licence", LicenceClass.OPEN_SOURCE),
            ("licence", LicenceClass.OPEN_WEIGHTS),
            ("pricing", PricingModel.SELF_HOSTED),
            ("platform", SELF_HOSTED_PLATFORM),
        )
    if answers.private:
        masks["private"] = any_of(
            index,
            ("training", Training.NO),
            ("training", Training.OPT_OUT),
            ("training", Training.VARIES),
        )
    if answers.wanted_outputs:
        masks["output"] = index.selection("output", list(answers.wanted_outputs))
    return masks


def _within_monthly(index: FacetIndex, sets: DerivedSets, amount: int) -> BitMap:
    """Some way in costs at most `amount` a month (pay per use counts: no fixed fee).
    Prices are compared in whole cents, so exactly."""

    def priced_within(periods: BitMap, cents: int) -> BitMap:
        ids = index.as_array(periods)
        prices = index.prices[ids]
        return index.bitmap_of(ids[(prices >= 0) & (prices <= cents)])

    monthly = any_of(index, ("period", Period.MONTH), ("period", Period.ONE_TIME))
    return BitMap.union(
        sets.free_to_start,
        sets.pay_per_use,
        priced_within(monthly, amount * 100),
        priced_within(bitmap(index, "period", Period.YEAR), amount * 12 * 100),
    )

"""What the reader told the wizard, once the form has checked it.

`Answers` is plain data in canonical order, so two addresses that say the
same thing in another order give equal answers and the same page. The form
that builds it from a query string lives in `catalog.wizard.forms`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from catalog.facet_index import FacetIndex
from catalog.wizard.questions import FLAGS, OUTPUT_ORDER, PROJECTS


@dataclass(frozen=True)
class Choices:
    """The catalogue's vocabularies the wizard offers, as (slug, name) pairs."""

    modalities: tuple[tuple[str, str], ...]
    interactions: tuple[tuple[str, str], ...]
    integrations: tuple[tuple[str, str], ...]

    def name(self, vocabulary: str, slug: str) -> str:
        return dict(getattr(self, vocabulary)).get(slug, slug)


def choices_from_index(index: FacetIndex) -> Choices:
    """The vocabularies from the facet index's taxonomy: no query."""
    taxonomy = index.taxonomy
    return Choices(
        modalities=tuple(taxonomy.choices("modalities")),
        interactions=tuple(taxonomy.choices("interactions")),
        integrations=tuple(
            (slug, name)
            for slug, name in taxonomy.choices("platforms")
            if slug in index.integrations
        ),
    )


@dataclass(frozen=True)
class Answers:
    """Everything the reader told the wizard, validated and in canonical order.

    Two query strings that say the same thing in a different order give
    equal `Answers` (notes are not compared).
    """

    projects: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    script: bool = False
    work: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    scale: str = ""
    budget: str = ""
    max_monthly: int | None = None
    commercial: bool = False
    open: bool = False
    private: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def wanted_outputs(self) -> tuple[str, ...]:
        """The outputs chosen, or failing that the ones the project types imply."""
        if self.outputs:
            return self.outputs
        implied = {o for p in self.projects for o in PROJECTS[p].outputs}
        return tuple(o for o in OUTPUT_ORDER if o in implied)

    @property
    def outputs_implied(self) -> bool:
        return not self.outputs and bool(self.wanted_outputs)

    def items(self) -> list[tuple[str, str]]:
        """The answers as query-string pairs, in canonical order."""
        pairs: list[tuple[str, str]] = []
        pairs += [("project", v) for v in self.projects]
        pairs += [("output", v) for v in self.outputs]
        pairs += [("input", v) for v in self.inputs]
        pairs += [("script", "1")] if self.script else []
        pairs += [("work", v) for v in self.work]
        pairs += [("uses", v) for v in self.uses]
        pairs += [("scale", self.scale)] if self.scale else []
        pairs += [("budget", self.budget)] if self.budget else []
        pairs += [("max", str(self.max_monthly))] if self.max_monthly is not None else []
        for flag in FLAGS:
            pairs += [(flag, "1")] if getattr(self, flag) else []
        return pairs

    def querystring(self, *, without: Iterable[str] = ()) -> str:
        skip = set(without)
        return urlencode([(k, v) for k, v in self.items() if k not in skip])

    def without(self, constraint: str) -> Answers:
        """These answers with one hard constraint dropped (for "relax this" links)."""
        if constraint == "budget":
            return replace(self, budget="", max_monthly=None, notes=())
        if constraint == "output":
            return replace(self, outputs=(), projects=(), notes=())
        return replace(self, notes=(), **{constraint: False})

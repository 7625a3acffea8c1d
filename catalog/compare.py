"""Side-by-side comparison of 2 to 4 tools: which tools, and the rows of the grid.

The set is read from `?tools=a,b,c`. Its canonical form is sorted and free of
duplicates, so each set has one URL; the view redirects other spellings there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from catalog.facet_index import get_index
from catalog.models import AIModel, Tool

MIN_TOOLS = 2
MAX_TOOLS = 4
MAX_RAW_SLUGS = 20
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")


@dataclass(frozen=True)
class Selection:
    """What the query string asked for, cleaned up."""

    slugs: list[str]  # canonical: valid, unique, sorted
    unknown: list[str] = field(default_factory=list)
    tools: list[Tool] = field(default_factory=list)

    @property
    def query(self) -> str:
        return ",".join(self.slugs)

    @property
    def too_few(self) -> bool:
        return len(self.tools) < MIN_TOOLS

    @property
    def too_many(self) -> bool:
        return len(self.slugs) > MAX_TOOLS

    def without(self, slug: str) -> str:
        return ",".join(s for s in self.slugs if s != slug)

    def adding(self, slug: str) -> str:
        return canonical_query([*self.slugs, slug])


@dataclass(frozen=True)
class Cell:
    text: str
    # ok / partial / no / unclear colour a verdict; "" is a plain fact.
    tone: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]

    @property
    def differs(self) -> bool:
        return len({cell.text for cell in self.cells}) > 1


def parse_slugs(raw: str) -> tuple[list[str], list[str]]:
    """(canonical slugs, rejected strings) from a comma-separated value."""
    parts = [p.strip().lower() for p in raw.split(",") if p.strip()][:MAX_RAW_SLUGS]
    good = sorted({p for p in parts if _SLUG.fullmatch(p)})
    bad = [p for p in dict.fromkeys(parts) if not _SLUG.fullmatch(p)]
    return good, bad


def canonical_query(slugs: Iterable[str]) -> str:
    return ",".join(sorted(set(slugs)))


def tools_for_comparison() -> QuerySet:
    """Published and discontinued tools with every relation the grid shows, loaded once."""
    return (
        Tool.objects.exclude(status=Tool.Status.DRAFT)
        .select_related("vendor")
        .prefetch_related(Prefetch("ai_models", queryset=AIModel.objects.order_by("name")))
    )


def select(raw: str) -> Selection:
    """Load the tools named in `raw`; at most MAX_TOOLS are loaded (one query per relation)."""
    slugs, bad = parse_slugs(raw)
    if len(slugs) > MAX_TOOLS:
        return Selection(slugs=slugs, unknown=bad)
    found = {t.slug: t for t in tools_for_comparison().filter(slug__in=slugs)}
    index = get_index()
    for tool in found.values():
        tool.terms = index.terms_of(tool.pk)  # tags come from the facet index, not queries
    unknown = bad + [s for s in slugs if s not in found]
    return Selection(
        slugs=[s for s in slugs if s in found],
        unknown=unknown,
        tools=[found[s] for s in slugs if s in found],
    )


def _names(relation: str) -> Callable[[Tool], Cell]:
    def cell(tool: Tool) -> Cell:
        names = [obj.name for obj in getattr(tool, relation).all()]
        return Cell(", ".join(names) if names else "Not recorded")

    return cell


def _terms(facet: str) -> Callable[[Tool], Cell]:
    def cell(tool: Tool) -> Cell:
        names = [term.name for term in tool.terms[facet]]  # set by select()
        return Cell(", ".join(names) if names else "Not recorded")

    return cell


def _flag(column: str) -> Callable[[Tool], Cell]:
    def cell(tool: Tool) -> Cell:
        return Cell("Yes", "ok") if getattr(tool, column) else Cell("No", "no")

    return cell


def _choice(column: str, tones: dict[str, str]) -> Callable[[Tool], Cell]:
    def cell(tool: Tool) -> Cell:
        value = getattr(tool, column)
        return Cell(getattr(tool, f"get_{column}_display")(), tones.get(value, "unclear"))

    return cell


def _price(tool: Tool) -> Cell:
    if tool.starting_price is None:
        if tool.pricing_model == Tool.PricingModel.FREE:
            return Cell("Free")
        if tool.pricing_model == Tool.PricingModel.CONTACT:
            return Cell("Contact sales")
        return Cell("Not published")
    if tool.starting_price == 0:
        return Cell("Free")
    amount = f"{tool.starting_price:f}".rstrip("0").rstrip(".")
    period = f" {tool.get_price_period_display()}" if tool.price_period else ""
    return Cell(f"{tool.currency} {amount}{period}")


def _licence(tool: Tool) -> Cell:
    text = tool.get_licence_class_display()
    return Cell(f"{text} ({tool.licence_spdx})" if tool.licence_spdx else text)


def _commercial(tool: Tool) -> Cell:
    tones = {"allowed": "ok", "conditional": "partial", "not_allowed": "no"}
    text = tool.get_commercial_use_display()
    if tool.commercial_use == Tool.CommercialUse.CONDITIONAL and tool.commercial_use_condition:
        text = f"{text}: {tool.commercial_use_condition}"
    return Cell(text, tones.get(tool.commercial_use, "unclear"))


def _checked(tool: Tool) -> Cell:
    if tool.last_checked is None:
        return Cell("None yet", "unclear")
    day = tool.last_checked
    return Cell(f"{day.day} {day:%B %Y}", "partial" if tool.is_stale() else "")


ROWS: list[tuple[str, str, Callable[[Tool], Cell]]] = [
    # (section, label, cell)
    ("What it does", "Takes", _terms("input")),
    ("What it does", "Makes", _terms("output")),
    ("What it does", "Model families", _terms("family")),
    ("What it does", "Underlying models", _names("ai_models")),
    ("What it does", "Use cases", _terms("use")),
    ("What it does", "How you work with it", _terms("work")),
    ("What it does", "Platforms and integrations", _terms("platform")),
    ("What it does", "Public API for the product", _flag("has_public_api")),
    ("What it does", "Vendor sells API access to the model", _flag("model_api_available")),
    (
        "Price",
        "Pricing model",
        lambda tool: Cell(tool.get_pricing_model_display()),
    ),
    ("Price", "Starting price", _price),
    ("Price", "Free tier", _flag("has_free_tier")),
    ("Rights", "Licence", _licence),
    ("Rights", "Commercial use of outputs", _commercial),
    (
        "Rights",
        "Who owns the outputs",
        _choice("output_ownership", {"user": "ok", "varies": "partial", "vendor": "no"}),
    ),
    (
        "Rights",
        "IP indemnity",
        _choice("ip_indemnity", {"yes": "ok", "paid_plans": "partial", "no": "no"}),
    ),
    (
        "Rights",
        "Trains on your data",
        _choice(
            "trains_on_user_data",
            {"no": "ok", "opt_out": "partial", "varies": "partial", "yes": "no"},
        ),
    ),
    ("Provenance", "Editor's latest check", _checked),
]


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]


def build_sections(tools: list[Tool], *, only_differences: bool = False) -> list[Section]:
    """The grid, grouped; reads prefetched relations only (no queries)."""
    sections: dict[str, list[Row]] = {}
    for title, label, cell in ROWS:
        row = Row(label, [cell(tool) for tool in tools])
        if only_differences and not row.differs:
            continue
        sections.setdefault(title, []).append(row)
    return [Section(title, rows) for title, rows in sections.items() if rows]

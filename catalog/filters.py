"""The one FilterSet behind every page that lists tools.

Several values within a facet mean OR; different facets combine with AND.
Input from the query string is never trusted: `parse_filters` keeps what is
valid and reports what it dropped, so a tampered URL still gets a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict

from catalog.models import LicenceClass, Tool
from catalog.search import search_tools
from catalog.taxonomy import Taxonomy

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_KEY = 30

# facet name -> (Tool relation, taxonomy vocabulary, label)
RELATION_FACETS: dict[str, tuple[str, str, str]] = {
    "output": ("output_modalities", "modalities", "Makes"),
    "input": ("input_modalities", "modalities", "Takes"),
    "family": ("families", "families", "Model family"),
    "use": ("use_cases", "use_cases", "Use case"),
    "platform": ("platforms", "platforms", "Platform or integration"),
    "work": ("interactions", "interactions", "Way of working"),
}
# facet name -> (Tool column, choices, label)
CHOICE_FACETS: dict[str, tuple[str, list[tuple[str, str]], str]] = {
    "pricing": ("pricing_model", Tool.PricingModel.choices, "Pricing"),
    "commercial": ("commercial_use", Tool.CommercialUse.choices, "Commercial use of outputs"),
    "licence": ("licence_class", LicenceClass.choices, "Licence"),
}
# facet name -> (Tool column, label of the "yes" option)
FLAG_FACETS: dict[str, tuple[str, str]] = {
    "free": ("has_free_tier", "Has a free tier"),
    "api": ("has_public_api", "Has a public API"),
}
FLAG_FACET_LABELS = {"free": "Free tier", "api": "Public API for the product"}
# "At least N" on the latest published review's overall score; "1" means reviewed at all.
SCORE_CHOICES = [("1", "Reviewed by us"), ("3", "3 and up"), ("4", "4 and up"), ("5", "5 out of 5")]
# What most visitors decide on first comes first (and starts unfolded).
FACET_ORDER = [
    "output",
    "free",
    "commercial",
    "use",
    "input",
    "family",
    "pricing",
    "licence",
    "score",
    "api",
    "work",
    "platform",
]

SORTS: dict[str, tuple[str, list[str]]] = {
    "name": ("Name", ["name"]),
    "newest": ("Newest", ["-created", "name"]),
    "verified": ("Recently checked", ["-last_checked", "name"]),
    "price": ("Lowest price", ["starting_price", "name"]),
    "score": ("Editorial score", ["-review_score", "name"]),
}
FLAG_CHOICES = [("1", "Yes")]


def _relation_filter(relation: str):
    """OR within the facet via EXISTS, so no join multiplies rows."""

    def method(queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        through = getattr(Tool, relation).through
        target = getattr(Tool, relation).field.m2m_reverse_field_name()
        matches = through.objects.filter(tool_id=OuterRef("pk"), **{f"{target}__slug__in": value})
        return queryset.filter(Exists(matches))

    return method


class ToolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_query", label="Search")
    output = django_filters.MultipleChoiceFilter(method=_relation_filter("output_modalities"))
    input = django_filters.MultipleChoiceFilter(method=_relation_filter("input_modalities"))
    family = django_filters.MultipleChoiceFilter(method=_relation_filter("families"))
    use = django_filters.MultipleChoiceFilter(method=_relation_filter("use_cases"))
    platform = django_filters.MultipleChoiceFilter(method=_relation_filter("platforms"))
    work = django_filters.MultipleChoiceFilter(method=_relation_filter("interactions"))
    pricing = django_filters.MultipleChoiceFilter(
        field_name="pricing_model", choices=Tool.PricingModel.choices
    )
    commercial = django_filters.MultipleChoiceFilter(
        field_name="commercial_use", choices=Tool.CommercialUse.choices
    )
    licence = django_filters.MultipleChoiceFilter(
        field_name="licence_class", choices=LicenceClass.choices
    )
    free = django_filters.ChoiceFilter(method="filter_flag", choices=FLAG_CHOICES)
    api = django_filters.ChoiceFilter(method="filter_flag", choices=FLAG_CHOICES)
    score = django_filters.ChoiceFilter(method="filter_score", choices=SCORE_CHOICES)
    vendor = django_filters.CharFilter(field_name="vendor__slug")

    class Meta:
        model = Tool
        fields: list[str] = []

    def __init__(self, *args: Any, taxonomy: Taxonomy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        for name, (_relation, vocabulary, _label) in RELATION_FACETS.items():
            self.filters[name].extra["choices"] = taxonomy.choices(vocabulary)

    def filter_query(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_tools(queryset, value) if value.strip() else queryset

    def filter_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        column = FLAG_FACETS[name][0]
        return queryset.filter(**{column: True}) if value == "1" else queryset

    def filter_score(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(review_score__gte=int(value)) if value else queryset

    def apply(self, queryset: QuerySet, *, skip: str | None = None) -> QuerySet:
        """Apply every active filter except `skip` (for that facet's own counts)."""
        for name, value in self.form.cleaned_data.items():
            if name != skip and value not in (None, "", []):
                queryset = self.filters[name].filter(queryset, value)
        return queryset


@dataclass
class ParsedFilters:
    """The valid part of a query string, as filter state and as link parameters."""

    params: QueryDict  # only the valid filter values, for building links
    state: dict[str, Any]  # like the FilterSet form's cleaned_data
    ignored: list[str]
    sort: str
    taxonomy: Taxonomy

    @cached_property
    def filterset(self) -> ToolFilter:
        """The bound FilterSet, for the SQL path; valid by construction."""
        filterset = ToolFilter(self.params, taxonomy=self.taxonomy)
        filterset.form.is_valid()
        return filterset


def valid_values(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """What each multiple-choice filter accepts (the same choices the FilterSet offers)."""
    valid = {
        name: {slug for slug, _ in taxonomy.choices(vocabulary)}
        for name, (_relation, vocabulary, _label) in RELATION_FACETS.items()
    }
    valid |= {name: set(dict(choices)) for name, (_c, choices, _l) in CHOICE_FACETS.items()}
    valid |= {name: {"1"} for name in FLAG_FACETS}
    valid["score"] = set(dict(SCORE_CHOICES))
    return valid


SINGLE_VALUED = {"free", "api", "score"}
TEXT_FILTERS = {"q", "vendor"}


def parse_filters(
    data: QueryDict, *, taxonomy: Taxonomy, default_sort: str = "name"
) -> ParsedFilters:
    """Keep what is valid in `data`; explain everything dropped.

    Validation uses the FilterSet's own choices without building a form, so the
    fast path (the facet index) costs no form machinery at all.
    """
    ignored: list[str] = []
    clean = QueryDict(mutable=True)
    state: dict[str, Any] = {name: [] for name in ToolFilter.base_filters}
    state |= dict.fromkeys(SINGLE_VALUED | TEXT_FILTERS, "")
    valid = valid_values(taxonomy)
    for key in data:
        if key not in ToolFilter.base_filters:
            continue
        values = data.getlist(key)
        if len(values) > MAX_VALUES_PER_KEY:
            ignored.append(f"only the first {MAX_VALUES_PER_KEY} values of “{key}” were used")
            values = values[:MAX_VALUES_PER_KEY]
        if key in TEXT_FILTERS:
            value = values[-1].strip()
            if len(value) > MAX_QUERY_LENGTH:
                ignored.append(f"the search was cut to {MAX_QUERY_LENGTH} characters")
                value = value[:MAX_QUERY_LENGTH]
            clean[key] = state[key] = value
            continue
        kept = []
        for value in dict.fromkeys(values):
            if value in valid[key]:
                kept.append(value)
            elif value:
                ignored.append(f"unknown {key} “{_shorten(value)}”")
        if key in SINGLE_VALUED:
            kept = kept[-1:]
        if kept:
            clean.setlist(key, kept)
            state[key] = kept[0] if key in SINGLE_VALUED else kept
    sort = data.get("sort", "")
    if sort and sort not in SORTS and sort != "relevance":
        ignored.append(f"unknown sort order “{_shorten(sort)}”")
        sort = ""
    return ParsedFilters(
        params=clean, state=state, ignored=ignored, sort=sort or default_sort, taxonomy=taxonomy
    )


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"

"""The bitmap facet engine gives exactly what the straightforward SQL gives."""

from decimal import Decimal

import numpy as np
import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.facet_index import FREE_PLAN_FORBIDS_COMMERCIAL, get_index
from catalog.facets import count_facets, count_facets_sql, matching_ids
from catalog.filters import FACET_ORDER, parse_filters
from catalog.models import LicenceClass, ModelFamily, PricingPlan, Tool
from catalog.similar import OVERLAP, WEIGHTS, similar_ids
from tests.factories import (
    InteractionFactory,
    ModalityFactory,
    ModelFamilyFactory,
    PlatformFactory,
    UseCaseFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

RELATIONS = {
    "input_modalities": "modalities",
    "output_modalities": "modalities",
    "families": "families",
    "use_cases": "use_cases",
    "platforms": "platforms",
    "interactions": "interactions",
}
FILTER_KEYS = {
    "output": "modalities",
    "input": "modalities",
    "family": "families",
    "use": "use_cases",
    "platform": "platforms",
    "work": "interactions",
}


@pytest.fixture
def vocabulary(db):
    return {
        "modalities": [
            ModalityFactory(slug=s, name=s) for s in ("text", "image", "audio", "video")
        ],
        "families": [ModelFamilyFactory(slug=s, name=s) for s in ("llm", "diffusion", "gan")],
        "use_cases": [UseCaseFactory(slug=s, name=s) for s in ("art", "writing", "music")],
        "platforms": [PlatformFactory(slug=s, name=s) for s in ("web", "ios")],
        "interactions": [InteractionFactory(slug=s, name=s) for s in ("chat", "api")],
        "vendors": [VendorFactory(slug=s, name=s) for s in ("acme", "globex")],
    }


def tool_strategy():
    subset = st.lists(st.integers(0, 3), max_size=3, unique=True)
    return st.fixed_dictionaries(
        {
            "status": st.sampled_from(Tool.Status.values),
            "pricing_model": st.sampled_from(Tool.PricingModel.values),
            "commercial_use": st.sampled_from(Tool.CommercialUse.values),
            "licence_class": st.sampled_from(LicenceClass.values),
            "has_free_tier": st.booleans(),
            "has_public_api": st.booleans(),
            "vendor": st.integers(0, 1),
            "review_score": st.one_of(st.none(), st.integers(1, 5)),
            **dict.fromkeys(RELATIONS, subset),
        }
    )


VALID_VALUES = {
    "output": ["text", "image", "audio", "video"],
    "input": ["text", "image", "audio", "video"],
    "family": ["llm", "diffusion", "gan"],
    "use": ["art", "writing", "music"],
    "platform": ["web", "ios"],
    "work": ["chat", "api"],
    "vendor": ["acme", "globex"],
    "free": ["1"],
    "api": ["1"],
    "pricing": Tool.PricingModel.values,
    "commercial": Tool.CommercialUse.values,
    "licence": LicenceClass.values,
    "score": ["1", "3", "4", "5"],
}


def filter_strategy():
    assert set(VALID_VALUES) == {*FACET_ORDER, "vendor"}
    pair = st.sampled_from(sorted(VALID_VALUES)).flatmap(
        lambda key: st.tuples(st.just(key), st.sampled_from(VALID_VALUES[key]))
    )
    return st.lists(pair, max_size=5)


# Each example builds a catalogue in the database: fewer, slower examples.
RANDOM_CATALOGUES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build(vocabulary, specs):
    Tool.objects.all().delete()
    for n, spec in enumerate(specs):
        tool = Tool.objects.create(
            name=f"Tool {n}",
            slug=f"tool-{n}",
            pitch="p",
            website="https://example.com/",
            vendor=vocabulary["vendors"][spec["vendor"]],
            **{k: spec[k] for k in ("status", "pricing_model", "commercial_use", "licence_class")},
            has_free_tier=spec["has_free_tier"],
            review_score=spec["review_score"],
            has_public_api=spec["has_public_api"],
        )
        for relation, vocab in RELATIONS.items():
            terms = vocabulary[vocab]
            getattr(tool, relation).set([terms[i] for i in spec[relation] if i < len(terms)])


@RANDOM_CATALOGUES
@given(specs=st.lists(tool_strategy(), max_size=12), pairs=filter_strategy())
def test_bitmap_counts_and_results_equal_the_sql_engine(vocabulary, specs, pairs):
    build(vocabulary, specs)
    index = get_index()
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, value)
    parsed = parse_filters(data, taxonomy=index.taxonomy)
    state = parsed.state
    assert state == parsed.filterset.form.cleaned_data
    base = Tool.objects.listed()
    universe = index.universe([Tool.Status.PUBLISHED])

    fast = count_facets(index=index, state=state, universe=universe)
    slow = count_facets_sql(base=base, filterset=parsed.filterset)
    assert fast == slow

    expected = set(parsed.filterset.apply(base).values_list("pk", flat=True))
    assert set(matching_ids(index, state, universe=universe)) == expected


def test_the_index_follows_an_editors_change(vocabulary):
    build(vocabulary, [])
    assert len(get_index().universe([Tool.Status.PUBLISHED])) == 0
    Tool.objects.create(
        name="New",
        slug="new",
        pitch="p",
        website="https://example.com/",
        status=Tool.Status.PUBLISHED,
        pricing_model="free",
        licence_class="proprietary",
    )
    assert len(get_index().universe([Tool.Status.PUBLISHED])) == 1


def test_pages_follow_the_requested_order(vocabulary):
    build(vocabulary, [])
    for name, price in [("b", 3), ("a", None), ("c", 1)]:
        Tool.objects.create(
            name=name,
            slug=name,
            pitch="p",
            website="https://example.com/",
            status=Tool.Status.PUBLISHED,
            pricing_model="subscription",  # a free tool has no price
            licence_class="proprietary",
            starting_price=price,
        )
    index = get_index()
    ids = index.universe([Tool.Status.PUBLISHED])
    names = dict(Tool.objects.values_list("pk", "name"))
    by_name = [names[i] for i in index.page(ids, sort="name", offset=0, limit=10)]
    by_price = [names[i] for i in index.page(ids, sort="price", offset=0, limit=10)]
    assert by_name == ["a", "b", "c"]
    assert by_price == ["c", "b", "a"]
    assert [names[i] for i in index.page(ids, sort="name", offset=1, limit=1)] == ["b"]


def test_the_index_carries_what_the_wizard_ranks_on(vocabulary):
    """Prices, periods, training, indemnity, free plans and kinds of families and platforms."""
    build(vocabulary, [])
    ModelFamily.objects.filter(slug="llm").update(is_language=True)
    PlatformFactory(slug="slack", name="Slack", kind="integration")
    rows = [
        ("a", Decimal("19.99"), "month", "no", "yes"),
        ("b", None, "", "opt_out", "unclear"),
        ("c", Decimal("240"), "year", "yes", "paid_plans"),
    ]
    tools = {}
    for name, price, period, trains, indemnity in rows:
        tools[name] = Tool.objects.create(
            name=name,
            slug=name,
            pitch="p",
            website="https://example.com/",
            status=Tool.Status.PUBLISHED,
            pricing_model="subscription",
            licence_class="proprietary",
            starting_price=price,
            price_period=period,
            trains_on_user_data=trains,
            ip_indemnity=indemnity,
        )
    PricingPlan.objects.create(tool=tools["a"], name="Free", price=0, commercial_use="not_allowed")
    PricingPlan.objects.create(tool=tools["b"], name="Free", price=0, commercial_use="allowed")
    PricingPlan.objects.create(tool=tools["c"], name="Pro", price=9, commercial_use="not_allowed")
    index = get_index()
    ids = {name: tool.pk for name, tool in tools.items()}
    assert [int(index.prices[ids[n]]) for n in "abc"] == [1999, -1, 24000]
    assert set(index.bitmaps["period"]["year"]) == {ids["c"]}
    assert set(index.bitmaps["period"][""]) == {ids["b"]}
    assert set(index.bitmaps["training"]["opt_out"]) == {ids["b"]}
    assert set(index.bitmaps["indemnity"]["paid_plans"]) == {ids["c"]}
    assert set(index.bitmaps[FREE_PLAN_FORBIDS_COMMERCIAL]["1"]) == {ids["a"]}
    assert index.language_families == {"llm"}
    assert index.integrations == {"slack"}
    assert set(index.bitmap_of(np.array([ids["a"], ids["c"]]))) == {ids["a"], ids["c"]}


@RANDOM_CATALOGUES
@given(
    specs=st.lists(tool_strategy(), min_size=8, max_size=16),
    limit=st.integers(1, 6),
    which=st.integers(0, 15),
)
def test_similar_tools_rank_as_counted_by_hand(vocabulary, specs, limit, which):
    build(vocabulary, specs)
    index = get_index()
    tools = list(Tool.objects.prefetch_related(*RELATIONS).order_by("pk"))
    tool = tools[which % len(tools)]

    def terms(t: Tool) -> dict[str, set[str]]:
        relations = {"output": "output_modalities", "input": "input_modalities"}
        relations |= {"family": "families", "use": "use_cases"}
        return {f: {x.slug for x in getattr(t, r).all()} for f, r in relations.items()}

    mine = terms(tool)

    def score(t: Tool) -> int:
        return sum(weight * len(terms(t)[f] & mine[f]) for f, weight in WEIGHTS.items())

    related = [
        t
        for t in tools
        if t.pk != tool.pk
        and t.status == Tool.Status.PUBLISHED
        and any(terms(t)[f] & mine[f] for f in OVERLAP)
    ]
    expected = sorted(related, key=lambda t: (-score(t), t.name.casefold(), t.name, t.pk))
    universe = index.universe([Tool.Status.PUBLISHED])
    got = similar_ids(index, tool.pk, universe=universe, limit=limit)
    assert got == [t.pk for t in expected[:limit]]

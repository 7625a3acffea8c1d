"""The "which fits my project?" wizard: thin GET views over `catalog.recommend`.

Every answer travels in the query string (steps carry earlier answers as
hidden inputs), so any page, the result included, reproduces from its URL
with no session and no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from catalog import recommend as engine
from catalog.facet_index import FacetIndex, get_index
from catalog.recommend import Answers, Choices

EXCLUDED_PAGE_SIZE = 30

# Our own words for the ways of working, shown under each option on step 3.
WORK_HINTS = {
    "chat": "A back-and-forth conversation that remembers what was said.",
    "form": "Fill in a form or start from a template.",
    "canvas": "Draw, arrange or prompt on a creative canvas.",
    "api": "Your own software calls it automatically.",
    "plugin": "Inside a tool you already use.",
}
STEP_LEDES = {
    1: "Pick everything that applies. This decides most of the answer.",
    2: "We ticked what your project usually needs; change it if you need something else.",
    3: "The tool that fits how you already work takes the least learning.",
    4: "Tools that plug into these rank higher.",
    5: "One-offs want instant results; regular or automated work wants an API.",
    6: "A ceiling is a must-have: tools that cost more are left out.",
    7: "Each of these is a must-have: tools that cannot promise it are left out.",
}


@dataclass(frozen=True)
class Option:
    name: str
    value: str
    label: str
    hint: str
    checked: bool

    @property
    def id(self) -> str:
        return f"w-{self.name}-{self.value or 'none'}"


@dataclass(frozen=True)
class Group:
    legend: str
    kind: str  # "checkbox", "radio" or "number"
    options: tuple[Option, ...]

    @property
    def has_hints(self) -> bool:
        return any(o.hint for o in self.options)


def _answers(request) -> tuple[Answers, Choices, FacetIndex]:
    """The answers in the query string; the vocabularies come from the facet index."""
    index = get_index()
    choices = engine.choices_from_index(index)
    return engine.parse_answers(request.GET, choices=choices), choices, index


def _url(name: str, answers: Answers, *, step: int | None = None, without=()) -> str:
    query = answers.querystring(without=without)
    if step is not None:
        query = f"step={step}&{query}" if query else f"step={step}"
    return f"{reverse(name)}?{query}" if query else reverse(name)


class WizardStepView(TemplateView):
    """One question per page: /wizard/?step=N plus every answer given so far."""

    template_name = "catalog/wizard_step.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        answers, choices, _index = _answers(self.request)
        step, notes = _step(self.request.GET.getlist("step"))
        title, keys = engine.QUESTIONS[step]
        return super().get_context_data(
            step=step,
            step_count=engine.STEP_COUNT,
            title=title,
            lede=STEP_LEDES[step],
            groups=_groups(step, answers, choices, outputs_given="output" in self.request.GET),
            hidden=[(k, v) for k, v in answers.items() if k not in keys],
            progress=[
                (n, t, _url("catalog:wizard", answers, step=n))
                for n, (t, _keys) in engine.QUESTIONS.items()
            ],
            skip_url=_url("catalog:wizard", answers, step=step + 1, without=keys)
            if step < engine.STEP_COUNT
            else _url("catalog:wizard_result", answers, without=keys),
            notes=[*notes, *answers.notes],
            **kwargs,
        )


class WizardResultView(TemplateView):
    """The verdict, pipeline and shortlist for the answers in the query string."""

    template_name = "catalog/wizard_result.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        answers, choices, index = _answers(self.request)
        result = engine.recommend(answers, choices=choices, index=index)
        return super().get_context_data(
            answers=answers,
            result=result,
            summary=[
                (step, question, text, _url("catalog:wizard", answers, step=step))
                for step, question, text in engine.describe(answers, choices=choices)
            ],
            share_url=_url("catalog:wizard_result", answers),
            refine_url=_url("catalog:wizard", answers, step=1),
            excluded_url=_url("catalog:wizard_excluded", answers),
            relax=[
                (reason, count, _url("catalog:wizard_result", answers.without(key)))
                for key, reason, count in result.exclusions.by_reason
            ],
            catalogue_url=f"{reverse('catalog:tool_list')}?{engine.catalogue_query(answers)}",
            compare_url=_compare_url([p.tool.slug for p in result.shortlist[:3]]),
            **kwargs,
        )


class WizardExcludedView(TemplateView):
    """The tools a result left out, each with the must-haves it breaks."""

    template_name = "catalog/wizard_excluded.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        answers, choices, index = _answers(self.request)
        # Counted on the facet index; only the page shown is read (for cards),
        # each tool with the breaks_* flags `broken_constraints` reads.
        tools = engine.ExcludedTools(answers, index=index)
        page = Paginator(tools, EXCLUDED_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            answers=answers,
            page_obj=page,
            rows=[(t, engine.broken_constraints(t, answers, choices)) for t in page],
            result_url=_url("catalog:wizard_result", answers),
            prev_url=_page_url(answers, page.previous_page_number())
            if page.has_previous()
            else None,
            next_url=_page_url(answers, page.next_page_number()) if page.has_next() else None,
            **kwargs,
        )


def _page_url(answers: engine.Answers, number: int) -> str:
    return f"?{answers.querystring()}&page={number}"


_STEP_VALUES = frozenset(str(n) for n in range(1, engine.STEP_COUNT + 1))


def _step(raw: list[str]) -> tuple[int, list[str]]:
    value = raw[-1] if raw else "1"
    # Compared as text: isdigit() also admits "²" and 5,000-digit numbers int() refuses.
    if value in _STEP_VALUES:
        return int(value), []
    return 1, [f"there is no step “{value[:20]}”, so here is the first"]


def _groups(step: int, answers: Answers, choices: Choices, *, outputs_given: bool) -> list[Group]:
    """The fields of one step, with the reader's answers (or sensible defaults) ticked."""
    if step == 1:
        projects = [
            Option("project", p.slug, p.label, p.hint, p.slug in answers.projects)
            for p in engine.PROJECTS.values()
        ]
        return [Group("Project types", "checkbox", tuple(projects))]
    if step == 2:
        # Preselect what the project types imply until the reader has answered.
        ticked = answers.outputs if outputs_given else answers.wanted_outputs
        return [
            _multi("Outputs you need", "output", choices.modalities, ticked),
            _multi("What you will give it", "input", choices.modalities, answers.inputs),
            Group(
                "Words first?",
                "checkbox",
                (Option("script", "1", *engine.SCRIPT_FLAG, answers.script),),
            ),
        ]
    if step == 3:
        work = [(s, n) for s, n in choices.interactions]
        group = _multi("Ways of working", "work", work, answers.work)
        options = tuple(
            Option(o.name, o.value, o.label, WORK_HINTS.get(o.value, ""), o.checked)
            for o in group.options
        )
        return [Group(group.legend, group.kind, options)]
    if step == 4:
        return [_multi("Tools you already use", "uses", choices.integrations, answers.uses)]
    if step == 5:
        return [_radio("Scale", "scale", engine.SCALES, answers.scale)]
    if step == 6:
        return [
            _radio("Budget", "budget", engine.BUDGETS, answers.budget),
            Group(
                "Monthly ceiling",
                "number",
                (
                    Option(
                        "max",
                        "" if answers.max_monthly is None else str(answers.max_monthly),
                        "Most you would spend a month",
                        "A whole number in the tool's own currency (we do not convert). "
                        "Pay-per-use tools stay in: their cost depends on volume.",
                        False,
                    ),
                ),
            ),
        ]
    flags = [
        Option(k, "1", label, hint, getattr(answers, k))
        for k, (label, hint) in engine.FLAGS.items()
    ]
    return [Group("Must-haves", "checkbox", tuple(flags))]


def _multi(legend: str, name: str, pairs, ticked) -> Group:
    return Group(legend, "checkbox", tuple(Option(name, s, n, "", s in ticked) for s, n in pairs))


def _radio(legend: str, name: str, options: dict[str, tuple[str, str]], value: str) -> Group:
    none = Option(name, "", "No preference", "", value == "")
    rest = [Option(name, k, label, hint, k == value) for k, (label, hint) in options.items()]
    return Group(legend, "radio", (none, *rest))


def _compare_url(slugs: list[str]) -> str | None:
    """Link to the comparison page when it exists and there are two tools to compare."""
    if len(slugs) < 2:
        return None
    try:
        # The comparison page's canonical order is alphabetical; link to it directly.
        return f"{reverse('catalog:compare')}?tools={','.join(sorted(slugs))}"
    except NoReverseMatch:
        return None

"""The "which fits my project?" wizard: thin GET views over `catalog.wizard`.

Every answer travels in the query string (steps carry earlier answers as
hidden inputs), so any page, the result included, reproduces from its URL
with no session and no JavaScript. The query string goes through the
wizard's forms; the views only pick what each page shows.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from catalog import wizard
from catalog.facet_index import FacetIndex, get_index
from catalog.wizard import Answers, AnswersForm, Choices
from catalog.wizard.questions import QUESTIONS, STEP_COUNT
from catalog.wizard.steps import LEDES, groups

EXCLUDED_PAGE_SIZE = 30


class WizardMixin:
    """Reads the answers in the query string; the vocabularies come from the facet index."""

    def read(self) -> tuple[AnswersForm, Answers, Choices, FacetIndex]:
        index = get_index()
        choices = wizard.choices_from_index(index)
        form = AnswersForm(self.request.GET, choices=choices)
        return form, form.answers(), choices, index


class WizardStepView(WizardMixin, TemplateView):
    """One question per page: /wizard/?step=N plus every answer given so far."""

    template_name = "catalog/wizard_step.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form, answers, choices, _index = self.read()
        step, step_notes = wizard.StepForm(self.request.GET).chosen()
        title, keys = QUESTIONS[step]
        outputs_given = form.answered("output")
        return super().get_context_data(
            step=step,
            step_count=STEP_COUNT,
            title=title,
            lede=LEDES[step],
            groups=groups(step, answers, choices, outputs_given=outputs_given),
            hidden=[(k, v) for k, v in answers.items() if k not in keys],
            progress=[
                (n, t, _url("catalog:wizard", answers, step=n)) for n, (t, _) in QUESTIONS.items()
            ],
            skip_url=_url("catalog:wizard", answers, step=step + 1, without=keys)
            if step < STEP_COUNT
            else _url("catalog:wizard_result", answers, without=keys),
            notes=[*step_notes, *answers.notes],
            **kwargs,
        )


class WizardResultView(WizardMixin, TemplateView):
    """The verdict, pipeline and shortlist for the answers in the query string."""

    template_name = "catalog/wizard_result.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        _form, answers, choices, index = self.read()
        result = wizard.recommend(answers, choices=choices, index=index)
        return super().get_context_data(
            answers=answers,
            result=result,
            summary=[
                (step, question, text, _url("catalog:wizard", answers, step=step))
                for step, question, text in wizard.describe(answers, choices=choices)
            ],
            share_url=_url("catalog:wizard_result", answers),
            refine_url=_url("catalog:wizard", answers, step=1),
            excluded_url=_url("catalog:wizard_excluded", answers),
            relax=[
                (reason, count, _url("catalog:wizard_result", answers.without(key)))
                for key, reason, count in result.exclusions.by_reason
            ],
            catalogue_url=f"{reverse('catalog:tool_list')}?{wizard.catalogue_query(answers)}",
            compare_url=_compare_url([p.tool.slug for p in result.shortlist[:3]]),
            **kwargs,
        )


class WizardExcludedView(WizardMixin, TemplateView):
    """The tools a result left out, each with the must-haves it breaks."""

    template_name = "catalog/wizard_excluded.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        _form, answers, choices, index = self.read()
        # Counted on the facet index; only the page shown is read (for cards).
        tools = wizard.ExcludedTools(answers, index=index)
        page = Paginator(tools, EXCLUDED_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            answers=answers,
            page_obj=page,
            rows=[(t, wizard.broken_must_haves(t, answers, tools.masks, choices)) for t in page],
            result_url=_url("catalog:wizard_result", answers),
            prev_url=_page_url(answers, page.previous_page_number())
            if page.has_previous()
            else None,
            next_url=_page_url(answers, page.next_page_number()) if page.has_next() else None,
            **kwargs,
        )


def _url(name: str, answers: Answers, *, step: int | None = None, without=()) -> str:
    query = answers.querystring(without=without)
    if step is not None:
        query = f"step={step}&{query}" if query else f"step={step}"
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _page_url(answers: Answers, number: int) -> str:
    return f"?{answers.querystring()}&page={number}"


def _compare_url(slugs: list[str]) -> str | None:
    """Link to the comparison page when it exists and there are two tools to compare."""
    if len(slugs) < 2:
        return None
    try:
        # The comparison page's canonical order is alphabetical; link to it directly.
        return f"{reverse('catalog:compare')}?tools={','.join(sorted(slugs))}"
    except NoReverseMatch:
        return None

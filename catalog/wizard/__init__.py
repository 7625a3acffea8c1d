"""The "which fits my project?" wizard: answers in; verdict, pipeline and shortlist out.

One idea per module, in the order a request meets them:

- `questions`: what the wizard asks, and the vocabulary of its answers;
- `forms`: the answers as a Django form (bad input becomes a note, never an error);
- `answers`: the validated answers, in canonical order;
- `pipeline`: the verdict (a language model, a media model, or both chained) and its stages;
- `rules`: must-haves, the tools each one keeps, on the facet index;
- `scoring`: preferences as small named steps, and one tool's fit, reasons and warnings;
- `ranking`: every tool's points at once, and the best few;
- `explain`: the sentences: reasons, warnings, why a tool was left out;
- `summary`: the answers in words, and as catalogue filters;
- `engine`: all of it together (`recommend`, `ExcludedTools`).

No request objects anywhere here; `catalog.wizard_views` is the web layer.
"""

from catalog.wizard.answers import Answers, Choices, choices_from_index
from catalog.wizard.engine import ExcludedTools, Recommendation, recommend
from catalog.wizard.explain import broken_must_haves
from catalog.wizard.forms import AnswersForm, StepForm, read_answers
from catalog.wizard.summary import catalogue_query, describe

__all__ = [
    "Answers",
    "AnswersForm",
    "Choices",
    "ExcludedTools",
    "Recommendation",
    "StepForm",
    "broken_must_haves",
    "catalogue_query",
    "choices_from_index",
    "describe",
    "read_answers",
    "recommend",
]

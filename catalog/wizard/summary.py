"""The answers said another way: in words for the result page, as catalogue filters."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from catalog.models import CommercialUse, LicenceClass
from catalog.wizard.answers import Answers, Choices
from catalog.wizard.explain import and_
from catalog.wizard.questions import BUDGETS, FLAGS, PROJECTS, QUESTIONS, SCALES


def describe(answers: Answers, *, choices: Choices) -> list[tuple[int, str, str]]:
    """(step, question, answer in words) for the result page's summary."""

    def names(vocabulary: str, slugs: Iterable[str]) -> str:
        return and_(choices.name(vocabulary, s) for s in slugs)

    budget = BUDGETS[answers.budget][0] if answers.budget else ""
    if answers.budget == "monthly" and answers.max_monthly is not None:
        budget = f"Up to {answers.max_monthly:,} a month"
    outputs = names("modalities", answers.wanted_outputs)
    if answers.outputs_implied:
        outputs += " (from your project)"
    if answers.inputs:
        outputs += f"; from {names('modalities', answers.inputs)}"
    if answers.script:
        outputs += "; a script or prompts first"
    rows = {
        1: and_(PROJECTS[p].label for p in answers.projects),
        2: outputs.strip("; "),
        3: names("interactions", answers.work),
        4: names("integrations", answers.uses),
        5: SCALES[answers.scale][0] if answers.scale else "",
        6: budget,
        7: and_(FLAGS[f][0] for f in FLAGS if getattr(answers, f)),
    }
    return [(step, QUESTIONS[step][0], text or "No preference") for step, text in rows.items()]


def catalogue_query(answers: Answers) -> str:
    """The closest catalogue filters (/tools/ query string) to these answers."""
    pairs = [("output", o) for o in answers.wanted_outputs]
    if answers.budget == "free":
        pairs.append(("free", "1"))
    if answers.commercial:
        pairs += [("commercial", CommercialUse.ALLOWED), ("commercial", CommercialUse.CONDITIONAL)]
    if answers.open:
        pairs += [("licence", LicenceClass.OPEN_SOURCE), ("licence", LicenceClass.OPEN_WEIGHTS)]
    if answers.scale == "high_volume":
        pairs.append(("api", "1"))
    return urlencode(pairs)

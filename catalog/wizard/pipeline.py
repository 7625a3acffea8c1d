"""The verdict and the pipeline: which kind of model the project needs, and in
what order when it needs more than one.

The required output decides it: language outputs call for a language model,
media outputs for a generative media model, and a media project that needs
words written first (a script, copy, prompts) chains the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalog.wizard.answers import Answers, Choices
from catalog.wizard.explain import and_, word
from catalog.wizard.questions import (
    BOTH,
    LANGUAGE,
    LANGUAGE_OUTPUTS,
    MEDIA,
    MEDIA_OUTPUTS,
    MEDIA_STAGE,
    MEDIA_USE_CASE,
    PROJECTS,
    UNDECIDED,
    WRITER_STAGE,
)
from catalog.wizard.scoring import Pick


@dataclass(frozen=True)
class Verdict:
    kind: str  # LANGUAGE, MEDIA, BOTH or UNDECIDED
    label: str
    reasons: tuple[str, ...]

    @property
    def sides(self) -> tuple[str, ...]:
        """The kinds of model a tool should run on to fit this verdict."""
        return {BOTH: (LANGUAGE, MEDIA), LANGUAGE: (LANGUAGE,), MEDIA: (MEDIA,)}.get(self.kind, ())


@dataclass(frozen=True)
class Stage:
    number: int
    title: str
    side: str  # LANGUAGE or MEDIA
    outputs: tuple[str, ...]
    optional: bool
    projects: tuple[str, ...] = ()  # the use cases this stage's tools should be built for
    picks: tuple[Pick, ...] = ()


def decide(answers: Answers, *, choices: Choices | None = None) -> Verdict:
    """The kind of model the answers call for, with the reasons in the reader's terms."""

    def name(slug: str) -> str:
        return word(choices.name("modalities", slug) if choices else slug)

    media = [o for o in answers.wanted_outputs if o in MEDIA_OUTPUTS]
    language = [o for o in answers.wanted_outputs if o in LANGUAGE_OUTPUTS]
    reasons = _output_reasons(answers, name, language=language, media=media)
    if media and (language or answers.script):
        kind = BOTH
        label = "Both, chained: a language model, then a generative media model"
    elif media:
        kind = MEDIA
        label = f"A generative media model ({' / '.join(map(name, media))})"
    elif language or answers.script:
        kind = LANGUAGE
        label = "A language model (LLM)"
    else:
        kind = UNDECIDED
        label = "Not decided yet"
        reasons.append(
            "You have not said what you are making or what must come out, so here is a "
            "general shortlist. Tell us more for a verdict."
        )
    return Verdict(kind=kind, label=label, reasons=tuple(dict.fromkeys(reasons)))


def _output_reasons(
    answers: Answers, name: Callable[[str], str], *, language: list[str], media: list[str]
) -> list[str]:
    reasons = [PROJECTS[p].why for p in answers.projects]
    if answers.outputs_implied:
        implied = and_(map(name, answers.wanted_outputs))
        reasons.append(f"You did not pick outputs, so we went by your project: {implied}.")
    if media:
        reasons.append(f"You need {and_(map(name, media))} out, which language models do not make.")
    if language:
        reasons.append(
            f"You need {and_(map(name, language))} out, which is what language models make."
        )
    if answers.script and media:
        reasons.append(
            "You need a script or prompts written first: that is a language model's job, "
            f"and a media model then turns it into {and_(map(name, media))}."
        )
    reasons += _workflow_reasons(answers)
    if answers.scale == "high_volume" and media:
        reasons.append(
            "At high volume, media generators hit rate or licence limits sooner than text "
            "models: check each plan's limits."
        )
    return reasons


def _workflow_reasons(answers: Answers) -> list[str]:
    reasons = []
    if "chat" in answers.work:
        reasons.append(
            "You want a back-and-forth conversation, which favours a chat tool built on an LLM."
        )
    if "canvas" in answers.work:
        reasons.append(
            "You want to make or remix visuals on a canvas or from prompts, which favours a "
            "generative media tool."
        )
    return reasons


def plan_stages(answers: Answers, verdict: Verdict) -> tuple[Stage, ...]:
    """Stages when the project needs more than one kind of model (none otherwise)."""
    media = [o for o in answers.wanted_outputs if o in MEDIA_OUTPUTS]
    if verdict.kind == BOTH:
        writer = WRITER_STAGE[media[0]] if answers.script else WRITER_STAGE["image"]
        stages = [Stage(1, writer, LANGUAGE, ("text",), False, ("writing-editing",))]
        for number, output in enumerate(media, start=2):
            own = tuple(p for p in answers.projects if output in PROJECTS[p].outputs)
            projects = own or (MEDIA_USE_CASE[output],)
            stages.append(Stage(number, MEDIA_STAGE[output], MEDIA, (output,), False, projects))
        return tuple(stages)
    if verdict.kind == LANGUAGE and "coding-help" in answers.projects:
        return (
            Stage(
                1,
                "An LLM writes and explains the code",
                LANGUAGE,
                ("code", "text"),
                False,
                ("coding-help",),
            ),
            Stage(
                2,
                "Optional: an image generator draws diagrams and visualisations",
                MEDIA,
                ("image",),
                True,
                ("design",),
            ),
        )
    return ()

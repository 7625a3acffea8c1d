"""The "which fits my project?" engine: answers in, verdict, pipeline and shortlist out.

No request objects here. `parse_answers` turns a query string into a typed,
validated `Answers` (and notes on whatever it had to ignore); `recommend`
turns answers into a `Recommendation`:

- a **verdict** (a language model, a generative media model, or both chained),
  following the brief's "How to choose": the required output decides it;
- a **pipeline** of stages when the project needs more than one kind of model;
- a **shortlist** of up to ten tools with a fit score, reasons and warnings.

Must-haves (budget ceiling, commercial use, open source or self-hosting, no
training on our data, the required output) are hard constraints: a tool that
breaks one is left out and counted. Everything else is a weighted preference.
`recommend` works on the in-memory facet index (catalog.facet_index): the
must-haves and exclusion counts are bitmap operations and every tool's points
one numpy pass, so its cost barely grows with the catalogue; only the tools it
shows are read from the database, in one query. `recommend_sql` is the same
engine written the straightforward way (SQL, then Python per tool), kept as
the reference the exactness test compares with. Featured status is never
read, so it can never change a ranking. Ties break by name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import numpy as np
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from pyroaring import BitMap

from catalog.facet_index import FREE_PLAN_FORBIDS_COMMERCIAL, FacetIndex, get_index
from catalog.models import (
    CommercialUse,
    Interaction,
    LicenceClass,
    Modality,
    Period,
    Platform,
    PricingModel,
    PricingPlan,
    Tool,
    Training,
)
from catalog.taxonomy import Taxonomy

# ---------------------------------------------------------------------------
# Weights: the one place that says how much each preference counts.
# A tool's fit score is the points it earns over the points it could have
# earned from the questions actually answered, as a percentage; questions left
# blank neither help nor hurt. Hard constraints carry no weight: they filter.
# ---------------------------------------------------------------------------
WEIGHTS: dict[str, int] = {
    # Step 2: share of the required outputs the tool makes. The brief's first
    # rule ("the output modality decides it"), so it weighs most.
    "output": 30,
    # Step 1: editors tagged the tool for the chosen project type(s).
    "use_case": 20,
    # Verdict: the tool runs on the kind of model the verdict calls for
    # (an LLM for language work, a diffusion/GAN/VAE/multimodal model for media).
    "family": 10,
    # Step 3: it supports a way of working the reader asked for.
    "workflow": 12,
    # Step 5: fits the scale (no commitment for one-offs, integrations or an
    # API for teams, an API for high volume).
    "scale": 12,
    # Step 4: share of the reader's existing tools it plugs into.
    "integration": 10,
    # Step 2: share of the reader's inputs it accepts.
    "input": 8,
    # Step 6, soft answers only: pay-per-use pricing or enterprise terms.
    "budget": 6,
}

SHORTLIST_SIZE = 10
STAGE_SIZE = 3
MAX_VALUES_PER_KEY = 30
MAX_NOTES = 8
MAX_MONTHLY_BUDGET = 100_000

LANGUAGE = "language"
MEDIA = "media"
BOTH = "both"
UNDECIDED = "undecided"

# Outputs a language model produces, and outputs that need a generative media model.
LANGUAGE_OUTPUTS = ("text", "code", "data", "document")
MEDIA_OUTPUTS = ("image", "audio", "speech", "video", "3d")
# Canonical order for outputs that come from project types rather than the form.
OUTPUT_ORDER = (*LANGUAGE_OUTPUTS, *MEDIA_OUTPUTS)
# A family slug that says nothing about the kind of model.
UNKNOWN_FAMILY = "other"
SELF_HOSTED_PLATFORM = "self-hosted"


@dataclass(frozen=True)
class ProjectType:
    """A step-1 answer: a use case with what it must produce and why."""

    slug: str  # the UseCase slug editors tag tools with
    label: str
    outputs: tuple[str, ...]
    hint: str
    why: str  # one verdict reason, tied to this answer


# The brief's "project type -> best fit" table, in our words: slug (a UseCase),
# label, the outputs it implies, a hint, and the verdict reason it contributes.
_PROJECT_TABLE = [
    ("writing-editing", "Writing and editing", ("text",),
     "Articles, emails, rewrites in another voice or length.",
     "Writing and editing is language work, which is what LLMs are built for."),
    ("customer-support", "Customer support", ("text",),
     "Answering customers in chat or by email.",
     "Customer support is conversation, a language model's home ground."),
    ("art-graphics", "Art and graphics", ("image",),
     "Illustrations, logos, marketing visuals.",
     "Art and graphics need pictures, which come from generative media models."),
    ("music-audio", "Music and audio", ("audio",),
     "Songs, soundtracks, sound effects.",
     "Music and sound come from generative audio models; a language model can only write about "
     "them."),
    ("video-content", "Video content", ("video",),
     "Clips, explainers, animation, talking avatars.",
     "Moving pictures come from generative video models."),
    ("coding-help", "Coding help", ("code",),
     "Writing, explaining and debugging code.",
     "Coding help is language work: LLMs write and debug code from plain instructions. A media "
     "model can add the diagrams."),
    ("research-summaries", "Research and summaries", ("text",),
     "Reading sources, taking notes, condensing them.",
     "Research and summaries are language work: reading, condensing, answering."),
    ("translation", "Translation", ("text",),
     "Turning text into other languages.",
     "Translation is language work."),
    ("marketing", "Marketing content", ("text", "image"),
     "Copy and visuals for campaigns and social posts.",
     "Marketing needs words and visuals: a language model for the copy, a media model for the "
     "pictures."),
    ("voice-speech", "Voice and speech", ("speech",),
     "Narration, dubbing, voice-overs.",
     "A voice comes from a speech model, not a text model."),
    ("design", "Design and presentations", ("image", "document"),
     "Slides, layouts, mock-ups.",
     "Design needs layout and visuals as well as words."),
    ("productivity", "Notes and productivity", ("text",),
     "Meeting notes, to-dos, everyday writing.",
     "Notes and everyday writing are language work."),
    ("3d-assets", "3D assets", ("3d",),
     "Models, scenes and textures.",
     "3D assets come from generative 3D models."),
    ("data-analysis", "Data analysis", ("data", "text"),
     "Questions about spreadsheets and datasets.",
     "Asking questions of data and explaining the answers is language work."),
]  # fmt: skip
PROJECTS: dict[str, ProjectType] = {row[0]: ProjectType(*row) for row in _PROJECT_TABLE}

SCALES: dict[str, tuple[str, str]] = {
    "one_off": ("A one-off project", "You want results today, without a subscription."),
    "team": ("A team's regular work", "Several people, every week, inside the tools you use."),
    "high_volume": (
        "High volume or automated",
        "Many requests, run by your own software: needs an API and dependable uptime.",
    ),
}
BUDGETS: dict[str, tuple[str, str]] = {
    "free": ("Free only", "Free tools, free tiers and open-source tools you run yourself."),
    "monthly": ("Up to a monthly amount", "Set your ceiling below."),
    "usage": ("Pay per use is fine", "You would rather pay per image, minute or request."),
    "enterprise": ("Enterprise", "You will talk to sales for contracts and indemnity."),
}
FLAGS: dict[str, tuple[str, str]] = {
    "commercial": (
        "What it makes must be usable commercially",
        "Leaves out tools whose terms forbid it or do not say.",
    ),
    "open": (
        "Must be open source or self-hostable",
        "Open-source code, open weights, or a version you can run on your own servers.",
    ),
    "private": (
        "Must not train on our data",
        "Leaves out tools that train on what you give them, or do not say.",
    ),
}
SCRIPT_FLAG = (
    "We need a script, copy or prompts written first",
    "A language model drafts the words, then a media model turns them into the result.",
)

# The questions, by step, and the query-string keys each one answers.
QUESTIONS: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("What are you making?", ("project",)),
    2: ("What must come out?", ("output", "input", "script")),
    3: ("How will people work with it?", ("work",)),
    4: ("What do you already use?", ("uses",)),
    5: ("How big is the job?", ("scale",)),
    6: ("What is your budget?", ("budget", "max")),
    7: ("Rights and control", ("commercial", "open", "private")),
}
STEP_COUNT = len(QUESTIONS)
_KEY_QUESTION = {key: title for title, keys in QUESTIONS.values() for key in keys}

# Stage titles for a chained pipeline, by the media output the chain ends in.
_WRITER_STAGE = {
    "video": "An LLM writes the script",
    "audio": "An LLM writes the lyrics or the brief",
    "speech": "An LLM writes what will be said",
    "image": "An LLM writes the copy and the prompts",
    "3d": "An LLM writes the prompts",
}
# The use case a media stage's tools should be built for, when no project type says.
_MEDIA_USE_CASE = {
    "video": "video-content",
    "audio": "music-audio",
    "speech": "voice-speech",
    "image": "art-graphics",
    "3d": "3d-assets",
}
_MEDIA_STAGE = {
    "video": "A text-to-video tool renders it",
    "audio": "A music or sound generator produces it",
    "speech": "A voice tool reads it aloud",
    "image": "An image generator makes the visuals",
    "3d": "A 3D generator builds the models",
}


# ---------------------------------------------------------------------------
# Choices and answers
# ---------------------------------------------------------------------------
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


def load_choices() -> Choices:
    """Three small queries: modalities, ways of working, integrations (`choices_from_index`
    reads the same from the facet index)."""
    return Choices(
        modalities=tuple(Modality.objects.values_list("slug", "name")),
        interactions=tuple(Interaction.objects.values_list("slug", "name")),
        integrations=tuple(
            Platform.objects.filter(kind=Platform.Kind.INTEGRATION).values_list("slug", "name")
        ),
    )


@dataclass(frozen=True)
class Answers:
    """Everything the reader told the wizard, validated and in canonical order.

    Two query strings that say the same thing in a different order parse to
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


_MULTI_KEYS: dict[str, str] = {
    "project": "projects",
    "output": "outputs",
    "input": "inputs",
    "work": "work",
    "uses": "uses",
}
_DIGITS = re.compile(r"\d{1,7}")


def parse_answers(data: Mapping[str, Any], *, choices: Choices) -> Answers:
    """Keep every valid answer in `data` (a QueryDict); note everything ignored.

    Unknown keys (tracking tags, `step`) are skipped silently; unknown or
    repeated values of known keys are dropped with a note, never an error.
    """
    notes: list[str] = []
    getlist = data.getlist if hasattr(data, "getlist") else lambda k: [data[k]]
    allowed = {
        "project": list(PROJECTS),
        "output": [s for s, _ in choices.modalities],
        "input": [s for s, _ in choices.modalities],
        "work": [s for s, _ in choices.interactions],
        "uses": [s for s, _ in choices.integrations],
    }
    values: dict[str, Any] = {}
    for key, attr in _MULTI_KEYS.items():
        raw = [v for v in getlist(key) if v != ""] if key in data else []
        if len(raw) > MAX_VALUES_PER_KEY:
            notes.append(f"only the first {MAX_VALUES_PER_KEY} answers to “{_question(key)}”")
            raw = raw[:MAX_VALUES_PER_KEY]
        for value in dict.fromkeys(raw):
            if value not in allowed[key]:
                notes.append(f"unknown answer “{_shorten(value)}” to “{_question(key)}”")
        chosen = set(raw)
        values[attr] = tuple(v for v in allowed[key] if v in chosen)

    for key, options in (("scale", SCALES), ("budget", BUDGETS)):
        values[key] = _single(key, getlist(key) if key in data else [], options, notes)

    max_monthly = _monthly(getlist("max") if "max" in data else [], notes)
    if max_monthly is not None:
        if values["budget"] == "":
            values["budget"] = "monthly"
        elif values["budget"] != "monthly":
            notes.append(
                f"the monthly amount, because your budget is “{BUDGETS[values['budget']][0]}”"
            )
            max_monthly = None
    values["max_monthly"] = max_monthly

    for key in ("script", *FLAGS):
        raw = [v for v in getlist(key) if v != ""] if key in data else []
        bad = [v for v in raw if v not in ("1", "on")]
        for value in dict.fromkeys(bad):
            notes.append(f"unknown answer “{_shorten(value)}” to “{_question(key)}”")
        values[key] = len(bad) < len(raw)

    if len(notes) > MAX_NOTES:
        notes = [*notes[:MAX_NOTES], f"and {len(notes) - MAX_NOTES} more"]
    return Answers(**values, notes=tuple(notes))


def _single(key: str, raw: list[str], options: Mapping[str, Any], notes: list[str]) -> str:
    raw = [v for v in raw if v != ""]
    valid = [v for v in dict.fromkeys(raw) if v in options]
    for value in dict.fromkeys(raw):
        if value not in options:
            notes.append(f"unknown answer “{_shorten(value)}” to “{_question(key)}”")
    if len(valid) > 1:
        notes.append(f"several answers to “{_question(key)}”, so we used the first")
    return valid[0] if valid else ""


def _monthly(raw: list[str], notes: list[str]) -> int | None:
    raw = [v.strip() for v in raw if v.strip() != ""]
    if not raw:
        return None
    if len(set(raw)) > 1:
        notes.append("several monthly amounts, so we used the first")
    value = raw[0]
    if _DIGITS.fullmatch(value) and int(value) <= MAX_MONTHLY_BUDGET:
        return int(value)
    notes.append(
        f"the monthly amount “{_shorten(value)}”: give a whole number from 0 to "
        f"{MAX_MONTHLY_BUDGET:,}"
    )
    return None


def _question(key: str) -> str:
    return _KEY_QUESTION.get(key, key)


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# ---------------------------------------------------------------------------
# Hard constraints (SQL)
# ---------------------------------------------------------------------------
def _related(relation: str, **lookup: Any) -> Exists:
    """EXISTS over a many-to-many relation, so no join multiplies rows."""
    through = getattr(Tool, relation).through
    target = getattr(Tool, relation).field.m2m_reverse_field_name()
    filters = {f"{target}__{name}": value for name, value in lookup.items()}
    return Exists(through.objects.filter(tool_id=OuterRef("pk"), **filters))


_FREE_TO_USE = Q(has_free_tier=True) | Q(
    pricing_model__in=[PricingModel.FREE, PricingModel.OPEN_SOURCE]
)


def _within_monthly(amount: int) -> Q:
    """Some way in costs at most `amount` a month (pay-per-use counts: no fixed fee)."""
    ceiling = Decimal(amount)
    return (
        _FREE_TO_USE
        | Q(pricing_model=PricingModel.USAGE)
        | Q(price_period=Period.USAGE)
        | Q(price_period__in=[Period.MONTH, Period.ONE_TIME], starting_price__lte=ceiling)
        | Q(price_period=Period.YEAR, starting_price__lte=ceiling * 12)
    )


def hard_constraints(answers: Answers) -> dict[str, Q]:
    """One Q per must-have the reader set, keyed like `EXCLUSION_REASONS`."""
    constraints: dict[str, Q] = {}
    if answers.budget == "free":
        constraints["budget"] = _FREE_TO_USE
    elif answers.budget == "monthly" and answers.max_monthly is not None:
        constraints["budget"] = _within_monthly(answers.max_monthly)
    if answers.commercial:
        commercial = Q(commercial_use__in=[CommercialUse.ALLOWED, CommercialUse.CONDITIONAL])
        if answers.budget == "free":
            # Free only + commercial: the free plan itself must not forbid it.
            free_plan_forbids = PricingPlan.objects.filter(
                tool=OuterRef("pk"), price=0, commercial_use=CommercialUse.NOT_ALLOWED
            )
            commercial &= ~Exists(free_plan_forbids)
        constraints["commercial"] = commercial
    if answers.open:
        constraints["open"] = (
            Q(licence_class__in=[LicenceClass.OPEN_SOURCE, LicenceClass.OPEN_WEIGHTS])
            | Q(pricing_model=PricingModel.OPEN_SOURCE)
            | Q(_related("platforms", slug=SELF_HOSTED_PLATFORM))
        )
    if answers.private:
        constraints["private"] = Q(
            trains_on_user_data__in=[Training.NO, Training.OPT_OUT, Training.VARIES]
        )
    if answers.wanted_outputs:
        constraints["output"] = Q(
            _related("output_modalities", slug__in=list(answers.wanted_outputs))
        )
    return constraints


def _all(constraints: Iterable[Q]) -> Q:
    combined = Q()
    for q in constraints:
        combined &= q
    return combined


def exclusion_reason(
    key: str, answers: Answers, choices: Choices | None = None, *, one: bool = False
) -> str:
    """Why tools breaking the must-have `key` were left out (`one`: said of one tool)."""
    if key == "budget":
        if answers.budget == "free":
            return "cannot be used for free"
        cost = "costs" if one else "cost"
        has = "has" if one else "have"
        return f"{cost} more than {answers.max_monthly:,} a month, or {has} no public price"
    do = "does" if one else "do"
    if key == "commercial":
        return f"{do} not clearly allow commercial use of what {'it makes' if one else 'they make'}"
    if key == "open":
        return f"{'is' if one else 'are'} neither open source nor self-hostable"
    if key == "private":
        return f"{'trains' if one else 'train'} on your data, or {do} not say"
    names = [choices.name("modalities", o) if choices else o for o in answers.wanted_outputs]
    return f"{do} not make {_or(_word(n) for n in names)}"


def _word(name: str) -> str:
    """A modality name inside a sentence: 'Audio' -> 'audio', but '3D' stays."""
    return name if name[:1].isdigit() or name.isupper() else name.lower()


# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    kind: str  # LANGUAGE, MEDIA, BOTH or UNDECIDED
    label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Pick:
    tool: Tool
    fit: int | None  # 0-100, None when no preference was answered
    points: Fraction
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    number: int
    title: str
    side: str  # LANGUAGE or MEDIA
    outputs: tuple[str, ...]
    optional: bool
    projects: tuple[str, ...] = ()  # the use cases this stage's tools should be built for
    picks: tuple[Pick, ...] = ()


@dataclass(frozen=True)
class Exclusions:
    total: int
    by_reason: tuple[tuple[str, str, int], ...]  # (constraint key, phrase, count)


@dataclass(frozen=True)
class Recommendation:
    answers: Answers
    verdict: Verdict
    stages: tuple[Stage, ...]
    shortlist: tuple[Pick, ...]
    matching_ids: BitMap  # every tool meeting all must-haves
    exclusions: Exclusions

    @property
    def matching_count(self) -> int:
        return len(self.matching_ids)

    @cached_property
    def matching(self) -> frozenset[int]:
        return frozenset(self.matching_ids)

    @property
    def is_pipeline(self) -> bool:
        return len(self.stages) > 1


# ---------------------------------------------------------------------------
# The verdict and the pipeline
# ---------------------------------------------------------------------------
def decide(answers: Answers, *, choices: Choices | None = None) -> Verdict:
    """The brief's "How to choose": the required output decides the kind of model."""

    def name(slug: str) -> str:
        return _word(choices.name("modalities", slug) if choices else slug)

    outputs = answers.wanted_outputs
    language = [o for o in outputs if o in LANGUAGE_OUTPUTS]
    media = [o for o in outputs if o in MEDIA_OUTPUTS]
    reasons = [PROJECTS[p].why for p in answers.projects]
    if answers.outputs_implied:
        reasons.append(
            f"You did not pick outputs, so we went by your project: {_and(map(name, outputs))}."
        )
    if media:
        reasons.append(f"You need {_and(map(name, media))} out, which language models do not make.")
    if language:
        reasons.append(
            f"You need {_and(map(name, language))} out, which is what language models make."
        )
    if answers.script and media:
        reasons.append(
            "You need a script or prompts written first: that is a language model's job, "
            f"and a media model then turns it into {_and(map(name, media))}."
        )
    reasons += _workflow_reasons(answers)
    if answers.scale == "high_volume" and media:
        reasons.append(
            "At high volume, media generators hit rate or licence limits sooner than text "
            "models: check each plan's limits."
        )

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
        writer = _WRITER_STAGE[media[0]] if answers.script else _WRITER_STAGE["image"]
        stages = [Stage(1, writer, LANGUAGE, ("text",), False, ("writing-editing",))]
        for number, output in enumerate(media, start=2):
            own = tuple(p for p in answers.projects if output in PROJECTS[p].outputs)
            projects = own or (_MEDIA_USE_CASE[output],)
            stages.append(Stage(number, _MEDIA_STAGE[output], MEDIA, (output,), False, projects))
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


# ---------------------------------------------------------------------------
# Scoring one tool (reasons, warnings and the exact fit)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ToolTerms:
    """What scoring reads from a tool's relations: slug -> name, in the vocabulary's order.

    Built from prefetched relations (`terms_from_relations`, the reference path)
    or from the facet index (`terms_from_index`, no query); both say the same.
    """

    outputs: dict[str, str]
    inputs: dict[str, str]
    use_cases: dict[str, str]
    interactions: dict[str, str]
    families: tuple[tuple[str, str, bool], ...]  # (slug, name, is a language model)
    platforms: tuple[tuple[str, str, bool], ...]  # (slug, name, is an integration)


def terms_from_relations(tool: Tool) -> ToolTerms:
    """Reads only prefetched relations (see CANDIDATE_RELATIONS)."""
    return ToolTerms(
        outputs={m.slug: m.name for m in tool.output_modalities.all()},
        inputs={m.slug: m.name for m in tool.input_modalities.all()},
        use_cases={u.slug: u.name for u in tool.use_cases.all()},
        interactions={i.slug: i.name for i in tool.interactions.all()},
        families=tuple((f.slug, f.name, f.is_language) for f in tool.families.all()),
        platforms=tuple(
            (p.slug, p.name, p.kind == Platform.Kind.INTEGRATION) for p in tool.platforms.all()
        ),
    )


def terms_from_index(
    index: FacetIndex, tool_id: int, orders: dict[str, dict[str, int]] | None = None
) -> ToolTerms:
    """The same as `terms_from_relations`, read from the facet index (no query).

    `orders` (from `vocabulary_orders`) can be shared between tools.
    """
    taxonomy = index.taxonomy
    orders = vocabulary_orders(taxonomy) if orders is None else orders

    def named(facet: str, vocabulary: str) -> list[tuple[str, str]]:
        order = orders[vocabulary]
        slugs = sorted(index.slugs_of(facet, tool_id), key=lambda s: order.get(s, len(order)))
        return [(slug, taxonomy.name(vocabulary, slug)) for slug in slugs]

    return ToolTerms(
        outputs=dict(named("output", "modalities")),
        inputs=dict(named("input", "modalities")),
        use_cases=dict(named("use", "use_cases")),
        interactions=dict(named("work", "interactions")),
        families=tuple(
            (s, n, s in index.language_families) for s, n in named("family", "families")
        ),
        platforms=tuple((s, n, s in index.integrations) for s, n in named("platform", "platforms")),
    )


def vocabulary_orders(taxonomy: Taxonomy) -> dict[str, dict[str, int]]:
    """Slug -> position in each vocabulary's own order (the order `.all()` returns)."""
    return {
        vocabulary: {t.slug: n for n, t in enumerate(getattr(taxonomy, vocabulary))}
        for vocabulary in ("modalities", "use_cases", "interactions", "families", "platforms")
    }


def _sides(terms: ToolTerms) -> set[str]:
    sides = set()
    for slug, _name, is_language in terms.families:
        if is_language:
            sides.add(LANGUAGE)
        elif slug != UNKNOWN_FAMILY:
            sides.add(MEDIA)
    return sides


def score(
    tool: Tool,
    *,
    answers: Answers,
    outputs: Sequence[str],
    sides: Iterable[str],
    projects: Sequence[str] | None = None,
    terms: ToolTerms | None = None,
) -> Pick:
    """Score one tool against the answers: the reference, one tool at a time.

    `outputs`, `sides` and `projects` say what the tool is judged for: the whole
    project for the shortlist, or one stage of a pipeline. The tool's relations
    come from `terms`, or else from its prefetched relations. `recommend` ranks
    the whole catalogue at once on the facet index (`_Scorer`) and calls this
    only for the few tools it shows, for their fit, reasons and warnings;
    tests/test_recommend.py proves both rank alike.
    """
    terms = terms_from_relations(tool) if terms is None else terms
    projects = answers.projects if projects is None else projects
    earned = Fraction(0)
    possible = 0
    reasons: list[str] = []
    warnings: list[str] = []

    def award(key: str, share: Fraction | int, reason: str | None = None) -> None:
        nonlocal earned, possible
        possible += WEIGHTS[key]
        earned += WEIGHTS[key] * Fraction(share)
        if share and reason:
            reasons.append(reason)

    makes = terms.outputs
    if outputs:
        hit = [_word(makes[o]) for o in outputs if o in makes]
        miss = [_word(o) for o in outputs if o not in makes]
        award("output", Fraction(len(hit), len(outputs)), f"Makes {_and(hit)}, which you need")
        if hit and miss:
            warnings.append(f"Does not make {_and(miss)}: pair it with another tool")

    if projects:
        tagged = terms.use_cases
        hit = [tagged[p] for p in projects if p in tagged]
        award(
            "use_case",
            Fraction(len(hit), len(projects)),
            f"Built for {_and(h.lower() for h in hit)}",
        )

    wanted_sides = set(sides)
    tool_sides = _sides(terms)
    if wanted_sides:
        has = tool_sides & wanted_sides
        families = [name for slug, name, _lang in terms.families if slug != UNKNOWN_FAMILY]
        award(
            "family",
            Fraction(len(has), len(wanted_sides)),
            f"Runs on the right kind of model: {_and(families)}",
        )

    if answers.inputs:
        takes = {slug: _word(name) for slug, name in terms.inputs.items()}
        hit = [takes[i] for i in answers.inputs if i in takes]
        award("input", Fraction(len(hit), len(answers.inputs)), f"Takes {_and(hit)}")

    if answers.work:
        ways = terms.interactions
        hit = [ways[w] for w in answers.work if w in ways]
        award("workflow", int(bool(hit)), f"Works the way you want: {_and(hit)}")

    if answers.uses:
        plugs = {slug: name for slug, name, _integration in terms.platforms}
        hit = [plugs[u] for u in answers.uses if u in plugs]
        award("integration", Fraction(len(hit), len(answers.uses)), f"Plugs into {_and(hit)}")

    free_to_start = tool.has_free_tier or tool.pricing_model in (
        PricingModel.FREE,
        PricingModel.OPEN_SOURCE,
    )
    pay_per_use = tool.pricing_model == PricingModel.USAGE or tool.price_period == Period.USAGE
    if answers.scale == "one_off":
        no_commitment = free_to_start or pay_per_use or tool.price_period == Period.ONE_TIME
        award("scale", int(no_commitment), "No subscription needed for a one-off job")
    elif answers.scale == "team":
        fits_team = tool.api_available or any(integration for *_, integration in terms.platforms)
        award("scale", int(fits_team), "Fits a team's tools, with integrations or an API")
    elif answers.scale == "high_volume":
        award("scale", int(tool.api_available), "Has an API for automated, high-volume work")
        if tool_sides == {MEDIA}:
            warnings.append("Media generators hit rate limits sooner at volume: check the plan")

    if answers.budget == "usage":
        award("budget", int(pay_per_use), "Priced per use, as you prefer")
    elif answers.budget == "enterprise":
        enterprise = tool.pricing_model == PricingModel.CONTACT or tool.ip_indemnity in (
            Tool.Indemnity.YES,
            Tool.Indemnity.PAID_PLANS,
        )
        award("budget", int(enterprise), "Offers enterprise terms or IP indemnity")

    reasons += _must_have_reasons(tool, answers)
    warnings += _warnings(tool, answers, free_to_start=free_to_start, pay_per_use=pay_per_use)
    fit = round(100 * earned / possible) if possible else None
    return Pick(
        tool=tool,
        fit=fit,
        points=earned,
        reasons=tuple(reasons),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _must_have_reasons(tool: Tool, answers: Answers) -> list[str]:
    reasons = []
    if answers.budget in ("free", "monthly"):
        if tool.pricing_model == PricingModel.FREE:
            reasons.append("Free to use")
        elif tool.pricing_model == PricingModel.OPEN_SOURCE:
            reasons.append("Open source: free to run yourself")
        elif tool.has_free_tier:
            reasons.append("Has a free tier")
        elif tool.starting_price is not None:
            period = tool.get_price_period_display() if tool.price_period else ""
            reasons.append(
                f"From {tool.currency} {tool.starting_price.normalize():f} {period}".strip()
                + ", within your budget"
            )
    if answers.commercial and tool.commercial_use == CommercialUse.ALLOWED:
        reasons.append("You may use what it makes commercially")
    if answers.open:
        if tool.licence_class == LicenceClass.OPEN_SOURCE:
            reasons.append(
                f"Open source ({tool.licence_spdx})" if tool.licence_spdx else "Open source"
            )
        elif tool.licence_class == LicenceClass.OPEN_WEIGHTS:
            reasons.append("Open weights you can run yourself")
        else:
            reasons.append("Can be self-hosted")
    if answers.private and tool.trains_on_user_data == Training.NO:
        reasons.append("Does not train on your data")
    return reasons


def _warnings(tool: Tool, answers: Answers, *, free_to_start: bool, pay_per_use: bool) -> list:
    warnings = []
    if not free_to_start and answers.budget != "enterprise":
        warnings.append("No free tier")
    if tool.commercial_use == CommercialUse.CONDITIONAL:
        condition = tool.commercial_use_condition.rstrip(".")
        warnings.append(
            f"Commercial use only with conditions: {condition}"
            if condition
            else "Commercial use only with conditions"
        )
    elif tool.commercial_use == CommercialUse.NOT_ALLOWED:
        warnings.append("What it makes may not be used commercially")
    elif tool.commercial_use == CommercialUse.UNCLEAR:
        warnings.append("Commercial use of what it makes is unclear: check the terms")
    if not tool.api_available and ("api" in answers.work or answers.scale == "high_volume"):
        warnings.append("No API")
    if tool.trains_on_user_data == Training.YES:
        warnings.append("Trains on what you give it")
    elif tool.trains_on_user_data == Training.OPT_OUT:
        warnings.append("Trains on your data unless you opt out")
    elif tool.trains_on_user_data == Training.VARIES and answers.private:
        warnings.append("Whether it trains on your data depends on the plan")
    if pay_per_use and answers.budget == "monthly":
        warnings.append("Priced per use: the monthly cost depends on how much you make")
    return warnings


# ---------------------------------------------------------------------------
# The engine: rank the whole catalogue at once on the facet index
# ---------------------------------------------------------------------------
# What `Tool.objects.listed()` lists, as statuses of the facet index.
LISTED_STATUSES = (Tool.Status.PUBLISHED,)


def recommend(
    answers: Answers, *, choices: Choices | None = None, index: FacetIndex | None = None
) -> Recommendation:
    """Verdict, pipeline and shortlist for `answers` over the published catalogue.

    Hard constraints, exclusion counts and every tool's points come from the
    facet index (bitmaps and numpy over all tools at once); then one query
    reads the few tools shown (with their vendor) and `score` words their
    fit, reasons and warnings from the index's terms. `recommend_sql` is the
    straightforward version this must agree with.
    """
    index = get_index() if index is None else index
    verdict = decide(answers, choices=choices)
    stages = plan_stages(answers, verdict)
    outputs = answers.wanted_outputs
    universe = index.universe(LISTED_STATUSES)
    sets = _DerivedSets.of(index)
    masks = constraint_bitmaps(index, answers, sets=sets)
    scope = _intersect(universe, [m for key, m in masks.items() if key != "output"])
    matching = scope & masks["output"] if "output" in masks else scope

    sides = {BOTH: (LANGUAGE, MEDIA), LANGUAGE: (LANGUAGE,), MEDIA: (MEDIA,)}.get(verdict.kind, ())
    contexts = [(outputs, sides, answers.projects)]
    contexts += [(stage.outputs, (stage.side,), stage.projects) for stage in stages]
    scorer = _Scorer(index, answers, contexts, sets)
    shortlist_ids = _top(index, matching, scorer.points(*contexts[0]), SHORTLIST_SIZE)
    stage_ids = []
    for stage, context in zip(stages, contexts[1:], strict=True):
        belongs = index.selection("output", list(stage.outputs))
        if stage.side == LANGUAGE:
            belongs |= sets.language
        stage_ids.append(_top(index, scope & belongs, scorer.points(*context), STAGE_SIZE))

    shown = {*shortlist_ids, *(i for ids in stage_ids for i in ids)}
    tools = Tool.objects.select_related("vendor").in_bulk(shown) if shown else {}
    orders = vocabulary_orders(index.taxonomy)
    terms = {pk: terms_from_index(index, pk, orders) for pk in tools}

    def picks(ids: list[int], outputs: Sequence[str], sides, projects) -> tuple[Pick, ...]:
        return tuple(
            score(
                tools[i],
                answers=answers,
                outputs=outputs,
                sides=sides,
                projects=projects,
                terms=terms[i],
            )
            for i in ids
            if i in tools
        )

    return Recommendation(
        answers=answers,
        verdict=verdict,
        stages=tuple(
            replace(stage, picks=picks(ids, *context))
            for stage, ids, context in zip(stages, stage_ids, contexts[1:], strict=True)
        ),
        shortlist=picks(shortlist_ids, *contexts[0]),
        matching_ids=matching,
        exclusions=_exclusions_of(universe, masks, answers, choices),
    )


@dataclass(frozen=True)
class _DerivedSets:
    """Unions of index bitmaps that several must-haves and preferences share."""

    free_to_start: BitMap  # a free tier, free, or open source
    pay_per_use: BitMap
    language: BitMap  # runs on a language model family
    media: BitMap  # runs on a family that is neither a language model nor "other"

    @classmethod
    def of(cls, index: FacetIndex) -> _DerivedSets:
        families = index.bitmaps.get("family", {})
        language = [b for s, b in families.items() if s in index.language_families]
        media = [
            b
            for s, b in families.items()
            if s not in index.language_families and s != UNKNOWN_FAMILY
        ]
        return cls(
            free_to_start=_any(
                index,
                ("free", "1"),
                ("pricing", PricingModel.FREE),
                ("pricing", PricingModel.OPEN_SOURCE),
            ),
            pay_per_use=_any(index, ("pricing", PricingModel.USAGE), ("period", Period.USAGE)),
            language=BitMap.union(BitMap(), *language),
            media=BitMap.union(BitMap(), *media),
        )


def _bitmap(index: FacetIndex, name: str, value: str) -> BitMap:
    return index.bitmaps.get(name, {}).get(str(value), BitMap())


def _any(index: FacetIndex, *options: tuple[str, str]) -> BitMap:
    return BitMap.union(BitMap(), *(_bitmap(index, name, value) for name, value in options))


def _intersect(base: BitMap, masks: Iterable[BitMap]) -> BitMap:
    result = BitMap(base)
    for mask in masks:
        result &= mask
    return result


def constraint_bitmaps(
    index: FacetIndex, answers: Answers, *, sets: _DerivedSets | None = None
) -> dict[str, BitMap]:
    """`hard_constraints` on the facet index: key -> every tool that meets that must-have."""
    sets = _DerivedSets.of(index) if sets is None else sets
    masks: dict[str, BitMap] = {}
    if answers.budget == "free":
        masks["budget"] = sets.free_to_start
    elif answers.budget == "monthly" and answers.max_monthly is not None:
        masks["budget"] = _within_monthly_bitmap(index, sets, answers.max_monthly)
    if answers.commercial:
        commercial = _any(
            index, ("commercial", CommercialUse.ALLOWED), ("commercial", CommercialUse.CONDITIONAL)
        )
        if answers.budget == "free":
            commercial -= _bitmap(index, FREE_PLAN_FORBIDS_COMMERCIAL, "1")
        masks["commercial"] = commercial
    if answers.open:
        masks["open"] = _any(
            index,
            ("licence", LicenceClass.OPEN_SOURCE),
            ("licence", LicenceClass.OPEN_WEIGHTS),
            ("pricing", PricingModel.OPEN_SOURCE),
            ("platform", SELF_HOSTED_PLATFORM),
        )
    if answers.private:
        masks["private"] = _any(
            index,
            ("training", Training.NO),
            ("training", Training.OPT_OUT),
            ("training", Training.VARIES),
        )
    if answers.wanted_outputs:
        masks["output"] = index.selection("output", list(answers.wanted_outputs))
    return masks


def _within_monthly_bitmap(index: FacetIndex, sets: _DerivedSets, amount: int) -> BitMap:
    """`_within_monthly` on the index: prices compared in whole cents, so exactly."""

    def priced_within(periods: BitMap, cents: int) -> BitMap:
        ids = index.as_array(periods)
        prices = index.prices[ids]
        return index.bitmap_of(ids[(prices >= 0) & (prices <= cents)])

    monthly = _any(index, ("period", Period.MONTH), ("period", Period.ONE_TIME))
    return BitMap.union(
        sets.free_to_start,
        sets.pay_per_use,
        priced_within(monthly, amount * 100),
        priced_within(_bitmap(index, "period", Period.YEAR), amount * 12 * 100),
    )


class _Scorer:
    """Every tool's points at once: numpy over the facet index's bitmaps.

    Points are integers: the reference's `Fraction` points times `unit`, the
    least common multiple of every share's denominator, so ranks and ties
    are exactly the reference's. Preferences the whole result shares are
    added once; each context (the shortlist, a stage) adds its own.
    """

    def __init__(
        self,
        index: FacetIndex,
        answers: Answers,
        contexts: Sequence[tuple[Sequence[str], Sequence[str], Sequence[str]]],
        sets: _DerivedSets,
    ) -> None:
        self.index = index
        self.sets = sets
        denominators = [len(answers.inputs), len(answers.uses)]
        for outputs, sides, projects in contexts:
            denominators += [len(outputs), len(set(sides)), len(projects)]
        self.unit = math.lcm(*(d for d in denominators if d))
        self.common = np.zeros(index.size, dtype=np.int64)
        self._shares("input", [("input", i) for i in answers.inputs], self.common)
        self._shares("integration", [("platform", u) for u in answers.uses], self.common)
        if answers.work:
            ways = _any(index, *(("work", w) for w in answers.work))
            self._add(self.common, ways, WEIGHTS["workflow"] * self.unit)
        scale = {
            "one_off": lambda: (
                sets.free_to_start | sets.pay_per_use | _bitmap(index, "period", Period.ONE_TIME)
            ),
            "team": lambda: _any(
                index, ("api", "1"), *(("platform", s) for s in index.integrations)
            ),
            "high_volume": lambda: _bitmap(index, "api", "1"),
        }.get(answers.scale)
        if scale:
            self._add(self.common, scale(), WEIGHTS["scale"] * self.unit)
        budget = {
            "usage": lambda: sets.pay_per_use,
            "enterprise": lambda: _any(
                index,
                ("pricing", PricingModel.CONTACT),
                ("indemnity", Tool.Indemnity.YES),
                ("indemnity", Tool.Indemnity.PAID_PLANS),
            ),
        }.get(answers.budget)
        if budget:
            self._add(self.common, budget(), WEIGHTS["budget"] * self.unit)

    def points(
        self, outputs: Sequence[str], sides: Sequence[str], projects: Sequence[str]
    ) -> np.ndarray:
        scores = self.common.copy()
        self._shares("output", [("output", o) for o in outputs], scores)
        self._shares("use_case", [("use", p) for p in projects], scores)
        wanted = set(sides)
        if wanted:
            each = WEIGHTS["family"] * self.unit // len(wanted)
            if LANGUAGE in wanted:
                self._add(scores, self.sets.language, each)
            if MEDIA in wanted:
                self._add(scores, self.sets.media, each)
        return scores

    def _shares(self, key: str, options: list[tuple[str, str]], scores: np.ndarray) -> None:
        """WEIGHTS[key] times the share of `options` each tool has."""
        for name, value in options:
            each = WEIGHTS[key] * self.unit // len(options)
            self._add(scores, _bitmap(self.index, name, value), each)

    def _add(self, scores: np.ndarray, ids: BitMap, amount: int) -> None:
        if ids:
            scores[self.index.as_array(ids)] += amount


def _top(index: FacetIndex, ids: BitMap, points: np.ndarray, limit: int) -> list[int]:
    """The `limit` ids with the most points, ties by name (as `_ranked` orders picks)."""
    members = index.as_array(ids)
    if limit <= 0 or not len(members):
        return []
    names = index.ranks["name"]
    if len(members) > limit:
        scores = points[members]
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        above = members[scores > kth]
        tied = members[scores == kth]
        need = limit - len(above)
        if len(tied) > need:
            tied = tied[np.argpartition(names[tied], need - 1)[:need]]
        members = np.concatenate([above, tied])
    order = np.lexsort((names[members], -points[members]))
    return [int(i) for i in members[order]]


def _exclusions_of(
    universe: BitMap, masks: dict[str, BitMap], answers: Answers, choices: Choices | None
) -> Exclusions:
    if not masks:
        return Exclusions(total=0, by_reason=())
    total = len(universe) - len(_intersect(universe, masks.values()))
    by_reason = tuple(
        (key, exclusion_reason(key, answers, choices), broken)
        for key, mask in masks.items()
        if (broken := len(universe) - universe.intersection_cardinality(mask))
    )
    return Exclusions(total=total, by_reason=by_reason)


class ExcludedTools:
    """The tools a result leaves out, in name order, for a `Paginator`.

    Counting is a bitmap cardinality; a page reads only its own tools (for
    cards), each with `breaks_<key>` set like `excluded_tools` annotates it.
    """

    def __init__(self, answers: Answers, *, index: FacetIndex | None = None) -> None:
        self.index = get_index() if index is None else index
        universe = self.index.universe(LISTED_STATUSES)
        self.masks = constraint_bitmaps(self.index, answers)
        kept = _intersect(universe, self.masks.values()) if self.masks else universe
        self.ids = universe - kept

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list[Tool]:
        start, stop, _step = window.indices(len(self.ids))
        ids = self.index.page(self.ids, sort="name", offset=start, limit=stop - start)
        tools = Tool.objects.for_cards().in_bulk(ids) if ids else {}
        page = [tools[i] for i in ids if i in tools]
        for tool in page:
            for key, mask in self.masks.items():
                setattr(tool, f"breaks_{key}", tool.pk not in mask)
        return page


# ---------------------------------------------------------------------------
# The reference engine: straightforward SQL and Python, one tool at a time
# ---------------------------------------------------------------------------
CANDIDATE_RELATIONS = (
    "input_modalities",
    "output_modalities",
    "families",
    "use_cases",
    "platforms",
    "interactions",
)


def recommend_sql(
    answers: Answers, *, choices: Choices | None = None, base: QuerySet | None = None
) -> Recommendation:
    """What `recommend` must return, computed the plain way (kept for the exactness test).

    Hard constraints in SQL, then every passing tool loaded with its relations
    and scored in Python: its cost grows with the catalogue.
    """
    base = Tool.objects.listed() if base is None else base
    verdict = decide(answers, choices=choices)
    stages = plan_stages(answers, verdict)
    constraints = hard_constraints(answers)
    outputs = answers.wanted_outputs

    scope = _all(q for key, q in constraints.items() if key != "output")
    reach = list(dict.fromkeys([*outputs, *(o for s in stages for o in s.outputs)]))
    if reach:
        wide = Q(_related("output_modalities", slug__in=reach))
        if any(s.side == LANGUAGE for s in stages):
            wide |= Q(_related("families", is_language=True))
        scope &= wide
    candidates = list(
        base.filter(scope)
        .select_related("vendor")
        .prefetch_related(*CANDIDATE_RELATIONS)
        .order_by("name", "pk")
    )

    wanted = set(outputs)
    matching = [
        t for t in candidates if not wanted or wanted & {m.slug for m in t.output_modalities.all()}
    ]
    sides = {BOTH: (LANGUAGE, MEDIA), LANGUAGE: (LANGUAGE,), MEDIA: (MEDIA,)}.get(verdict.kind, ())
    shortlist = _ranked(score(t, answers=answers, outputs=outputs, sides=sides) for t in matching)
    stages = tuple(
        replace(stage, picks=tuple(_stage_picks(stage, candidates, answers))) for stage in stages
    )
    return Recommendation(
        answers=answers,
        verdict=verdict,
        stages=stages,
        shortlist=tuple(shortlist[:SHORTLIST_SIZE]),
        matching_ids=BitMap(t.pk for t in matching),
        exclusions=_exclusions(base, constraints, answers, choices),
    )


def _ranked(picks: Iterable[Pick]) -> list[Pick]:
    """Most points first; ties by name as the catalogue sorts it (facet_index ranks["name"])."""
    return sorted(picks, key=lambda p: (-p.points, p.tool.name.casefold(), p.tool.name, p.tool.pk))


def _stage_picks(stage: Stage, candidates: list[Tool], answers: Answers) -> list[Pick]:
    def belongs(tool: Tool) -> bool:
        makes = {m.slug for m in tool.output_modalities.all()}
        if makes & set(stage.outputs):
            return True
        return stage.side == LANGUAGE and LANGUAGE in _sides(terms_from_relations(tool))

    picks = [
        score(
            t,
            answers=answers,
            outputs=stage.outputs,
            sides=(stage.side,),
            projects=stage.projects,
        )
        for t in candidates
        if belongs(t)
    ]
    return _ranked(picks)[:STAGE_SIZE]


def _exclusions(
    base: QuerySet, constraints: dict[str, Q], answers: Answers, choices: Choices | None
) -> Exclusions:
    if not constraints:
        return Exclusions(total=0, by_reason=())
    counts = base.aggregate(
        excluded=Count("pk", filter=~_all(constraints.values())),
        **{key: Count("pk", filter=~q) for key, q in constraints.items()},
    )
    by_reason = tuple(
        (key, exclusion_reason(key, answers, choices), counts[key])
        for key in constraints
        if counts[key]
    )
    return Exclusions(total=counts["excluded"], by_reason=by_reason)


def excluded_tools(answers: Answers, *, base: QuerySet | None = None) -> QuerySet:
    """Tools that break a must-have, each annotated `breaks_<key>` for every one it breaks."""
    base = Tool.objects.listed() if base is None else base
    constraints = hard_constraints(answers)
    if not constraints:
        return base.none()
    flags = {
        f"breaks_{key}": Case(
            When(q, then=Value(False)), default=Value(True), output_field=BooleanField()
        )
        for key, q in constraints.items()
    }
    return base.exclude(_all(constraints.values())).annotate(**flags).order_by("name", "pk")


def broken_constraints(tool: Tool, answers: Answers, choices: Choices | None = None) -> list[str]:
    """Reasons for a tool from `excluded_tools` (reads its annotations only)."""
    return [
        exclusion_reason(key, answers, choices, one=True)
        for key in hard_constraints(answers)
        if getattr(tool, f"breaks_{key}", False)
    ]


# ---------------------------------------------------------------------------
# Describing answers and links
# ---------------------------------------------------------------------------
def describe(answers: Answers, *, choices: Choices) -> list[tuple[int, str, str]]:
    """(step, question, answer in words) for the result page's summary."""

    def names(vocabulary: str, slugs: Iterable[str]) -> str:
        return _and(choices.name(vocabulary, s) for s in slugs)

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
        1: _and(PROJECTS[p].label for p in answers.projects),
        2: outputs.strip("; "),
        3: names("interactions", answers.work),
        4: names("integrations", answers.uses),
        5: SCALES[answers.scale][0] if answers.scale else "",
        6: budget,
        7: _and(FLAGS[f][0] for f in FLAGS if getattr(answers, f)),
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


def _and(items: Iterable[str]) -> str:
    return _join(list(items), "and")


def _or(items: Iterable[str]) -> str:
    return _join(list(items), "or")


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"

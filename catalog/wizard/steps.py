"""What one step page shows: its question's options, with the reader's answers ticked.

The step template renders these groups as fieldsets; every option submits
under the key the answers form reads, so the pages and the form cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.wizard.answers import Answers, Choices
from catalog.wizard.questions import BUDGETS, FLAGS, PROJECTS, SCALES, SCRIPT_FLAG

# Our own words for the ways of working, shown under each option on step 3.
WORK_HINTS = {
    "chat": "A back-and-forth conversation that remembers what was said.",
    "form": "Fill in a form or start from a template.",
    "canvas": "Draw, arrange or prompt on a creative canvas.",
    "api": "Your own software calls it automatically.",
    "plugin": "Inside a tool you already use.",
}
LEDES = {
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


def groups(step: int, answers: Answers, choices: Choices, *, outputs_given: bool) -> list[Group]:
    """The fields of one step, with the reader's answers (or sensible defaults) ticked.

    `outputs_given`: the reader has answered step 2 (even with nothing ticked);
    until then it shows the outputs the project types imply.
    """
    if step == 1:
        projects = [
            Option("project", p.slug, p.label, p.hint, p.slug in answers.projects)
            for p in PROJECTS.values()
        ]
        return [Group("Project types", "checkbox", tuple(projects))]
    if step == 2:
        ticked = answers.outputs if outputs_given else answers.wanted_outputs
        return [
            _some("Outputs you need", "output", choices.modalities, ticked),
            _some("What you will give it", "input", choices.modalities, answers.inputs),
            Group(
                "Words first?", "checkbox", (Option("script", "1", *SCRIPT_FLAG, answers.script),)
            ),
        ]
    if step == 3:
        ways = tuple(
            Option("work", slug, name, WORK_HINTS.get(slug, ""), slug in answers.work)
            for slug, name in choices.interactions
        )
        return [Group("Ways of working", "checkbox", ways)]
    if step == 4:
        return [_some("Tools you already use", "uses", choices.integrations, answers.uses)]
    if step == 5:
        return [_one("Scale", "scale", SCALES, answers.scale)]
    if step == 6:
        return [_one("Budget", "budget", BUDGETS, answers.budget), _ceiling(answers)]
    flags = [Option(k, "1", label, hint, getattr(answers, k)) for k, (label, hint) in FLAGS.items()]
    return [Group("Must-haves", "checkbox", tuple(flags))]


def _ceiling(answers: Answers) -> Group:
    amount = "" if answers.max_monthly is None else str(answers.max_monthly)
    hint = (
        "A whole number in the tool's own currency (we do not convert). "
        "Pay-per-use tools stay in: their cost depends on volume."
    )
    option = Option("max", amount, "Most you would spend a month", hint, False)
    return Group("Monthly ceiling", "number", (option,))


def _some(legend: str, name: str, pairs, ticked) -> Group:
    return Group(legend, "checkbox", tuple(Option(name, s, n, "", s in ticked) for s, n in pairs))


def _one(legend: str, name: str, options: dict[str, tuple[str, str]], value: str) -> Group:
    none = Option(name, "", "No preference", "", value == "")
    rest = [Option(name, k, label, hint, k == value) for k, (label, hint) in options.items()]
    return Group(legend, "radio", (none, *rest))

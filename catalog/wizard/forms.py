"""The wizard's answers as a Django form: the one place that says what each
query-string key may hold.

The wizard keeps its state in the address, so any step or result can be
bookmarked and shared. Addresses get hand-edited, cut short and tagged by
other sites, so the fields here never reject a whole request: each keeps the
valid part of what was sent and returns a note on the rest. A reader who
mistyped one answer still gets a page built on all the others, with one
sentence saying what was ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django import forms

from catalog.wizard.answers import Answers, Choices
from catalog.wizard.questions import (
    BUDGETS,
    FLAGS,
    KEY_QUESTION,
    MAX_MONTHLY_BUDGET,
    PROJECTS,
    SCALES,
    STEP_COUNT,
)

MAX_VALUES_PER_KEY = 30
MAX_NOTES = 8
_WHOLE_NUMBER = re.compile(r"[0-9]{1,7}")


class Reading(NamedTuple):
    """A field's clean value and notes on what it had to ignore."""

    value: Any
    notes: tuple[str, ...] = ()


class AnswerField(forms.Field):
    """Reads every value sent under its name (a key may repeat) and never raises."""

    widget = forms.MultipleHiddenInput  # its value_from_datadict reads getlist()
    default_error_messages = {"unknown": "unknown answer “%(value)s” to “%(question)s”"}

    def __init__(self, key: str) -> None:
        super().__init__(required=False, label=KEY_QUESTION.get(key, key))
        self.choices: tuple[str, ...] = ()

    def clean(self, value: Any) -> Reading:
        return self.read([v for v in _as_list(value) if v != ""])

    def read(self, sent: list[str]) -> Reading:
        raise NotImplementedError

    def note(self, code: str, **params: Any) -> str:
        return self.error_messages[code] % {"question": self.label, **params}

    def unknown(self, values: Iterable[str]) -> list[str]:
        return [self.note("unknown", value=_shorten(v)) for v in dict.fromkeys(values)]


class SomeOf(AnswerField):
    """Checkboxes: the known values, in the vocabulary's order."""

    default_error_messages = {"too_many": "only the first %(limit)s answers to “%(question)s”"}

    def read(self, sent: list[str]) -> Reading:
        notes = []
        if len(sent) > MAX_VALUES_PER_KEY:
            notes.append(self.note("too_many", limit=MAX_VALUES_PER_KEY))
            sent = sent[:MAX_VALUES_PER_KEY]
        notes += self.unknown(v for v in sent if v not in self.choices)
        chosen = set(sent)
        return Reading(tuple(c for c in self.choices if c in chosen), tuple(notes))


class OneOf(AnswerField):
    """Radio buttons: the first known value ("" for none)."""

    default_error_messages = {"several": "several answers to “%(question)s”, so we used the first"}

    def read(self, sent: list[str]) -> Reading:
        notes = self.unknown(v for v in sent if v not in self.choices)
        valid = [v for v in dict.fromkeys(sent) if v in self.choices]
        if len(valid) > 1:
            notes.append(self.note("several"))
        return Reading(valid[0] if valid else "", tuple(notes))


class Amount(AnswerField):
    """A monthly ceiling: a whole number from 0 to MAX_MONTHLY_BUDGET, or None."""

    default_error_messages = {
        "several": "several monthly amounts, so we used the first",
        "invalid": "the monthly amount “%(value)s”: give a whole number from 0 to %(limit)s",
    }

    def clean(self, value: Any) -> Reading:
        return self.read([v.strip() for v in _as_list(value) if v.strip() != ""])

    def read(self, sent: list[str]) -> Reading:
        if not sent:
            return Reading(None)
        notes = [self.note("several")] if len(set(sent)) > 1 else []
        first = sent[0]
        if _WHOLE_NUMBER.fullmatch(first) and int(first) <= MAX_MONTHLY_BUDGET:
            return Reading(int(first), tuple(notes))
        notes.append(self.note("invalid", value=_shorten(first), limit=f"{MAX_MONTHLY_BUDGET:,}"))
        return Reading(None, tuple(notes))


class Tick(AnswerField):
    """One checkbox: ticked when any value sent is "1" or "on"."""

    def read(self, sent: list[str]) -> Reading:
        bad = [v for v in sent if v not in ("1", "on")]
        return Reading(len(bad) < len(sent), tuple(self.unknown(bad)))


class AnswersForm(forms.Form):
    """Every answer the wizard takes. Always valid: what it cannot use becomes a note.

    Fields are declared in the order their notes are listed.
    """

    project = SomeOf("project")
    output = SomeOf("output")
    input = SomeOf("input")
    work = SomeOf("work")
    uses = SomeOf("uses")
    scale = OneOf("scale")
    budget = OneOf("budget")
    max = Amount("max")
    script = Tick("script")
    commercial = Tick("commercial")
    open = Tick("open")
    private = Tick("private")

    def __init__(self, data: Mapping[str, Any], *, choices: Choices) -> None:
        super().__init__(data)
        modalities = tuple(slug for slug, _name in choices.modalities)
        allowed = {
            "project": tuple(PROJECTS),
            "output": modalities,
            "input": modalities,
            "work": tuple(slug for slug, _name in choices.interactions),
            "uses": tuple(slug for slug, _name in choices.integrations),
            "scale": tuple(SCALES),
            "budget": tuple(BUDGETS),
        }
        for name, values in allowed.items():
            self.fields[name].choices = values

    def clean(self) -> dict[str, Any]:
        """A monthly amount means the monthly budget; under another budget it is dropped."""
        data = super().clean()
        amount, budget = data["max"], data["budget"]
        if amount.value is not None:
            if budget.value == "":
                data["budget"] = budget._replace(value="monthly")
            elif budget.value != "monthly":
                named = BUDGETS[budget.value][0]
                note = f"the monthly amount, because your budget is “{named}”"
                data["max"] = Reading(None, (*amount.notes, note))
        return data

    def answers(self) -> Answers:
        self.is_valid()  # always true: the fields turn bad input into notes
        data = self.cleaned_data
        notes = [note for name in self.fields for note in data[name].notes]
        if len(notes) > MAX_NOTES:
            notes = [*notes[:MAX_NOTES], f"and {len(notes) - MAX_NOTES} more"]
        return Answers(
            projects=data["project"].value,
            outputs=data["output"].value,
            inputs=data["input"].value,
            script=data["script"].value,
            work=data["work"].value,
            uses=data["uses"].value,
            scale=data["scale"].value,
            budget=data["budget"].value,
            max_monthly=data["max"].value,
            **{flag: data[flag].value for flag in FLAGS},
            notes=tuple(notes),
        )

    def answered(self, name: str) -> bool:
        """Whether the address carries this key at all (even empty): step 2 then
        shows the reader's own outputs instead of ticking what the project implies."""
        return name in self.data


def read_answers(data: Mapping[str, Any], *, choices: Choices) -> Answers:
    """The answers in `data` (a QueryDict), with notes on whatever was ignored."""
    return AnswersForm(data, choices=choices).answers()


class StepField(forms.Field):
    """Which question to show: the last `step` sent, or the first question."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"unknown": "there is no step “%(value)s”, so here is the first"}
    _STEPS = frozenset(str(n) for n in range(1, STEP_COUNT + 1))

    def clean(self, value: Any) -> Reading:
        sent = _as_list(value)
        last = sent[-1] if sent else "1"
        # Compared as text: isdigit() also admits "²" and 5,000-digit numbers int() refuses.
        if last in self._STEPS:
            return Reading(int(last))
        return Reading(1, (self.error_messages["unknown"] % {"value": last[:20]},))


class StepForm(forms.Form):
    step = StepField(required=False)

    def chosen(self) -> Reading:
        self.is_valid()  # always true: a bad step becomes a note
        return self.cleaned_data["step"]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"

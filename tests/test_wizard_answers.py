"""The wizard's answers form: what it keeps, what it notes, and that it never fails."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from catalog.wizard.answers import Answers
from catalog.wizard.forms import MAX_NOTES, AnswersForm, StepForm, read_answers
from tests.wizard_catalogue import static_choices


def test_parsing_keeps_what_is_valid_and_notes_the_rest():
    answers = read_answers(
        QueryDict("project=music-audio&project=nonsense&scale=huge&max=-5&commercial=maybe&x=1"),
        choices=static_choices(),
    )
    assert answers.projects == ("music-audio",)
    assert answers.scale == ""
    assert answers.max_monthly is None
    assert not answers.commercial
    assert len(answers.notes) == 4
    assert any("nonsense" in n for n in answers.notes)


@pytest.mark.parametrize("amount", ["-5", str(10**30), "12.5", "1e3", "100001", "ten"])
def test_absurd_budgets_are_ignored_with_a_note(amount):
    answers = read_answers(QueryDict(f"max={amount}"), choices=static_choices())
    assert answers.max_monthly is None
    assert answers.budget == ""
    assert answers.notes


def test_duplicated_single_answers_use_the_first_valid_one():
    answers = read_answers(
        QueryDict("budget=usage&budget=free&budget=usage"), choices=static_choices()
    )
    assert answers.budget == "usage"
    assert any("several answers" in n for n in answers.notes)


def test_a_monthly_amount_with_another_budget_is_dropped():
    answers = read_answers(QueryDict("budget=free&max=20"), choices=static_choices())
    assert (answers.budget, answers.max_monthly) == ("free", None)
    assert answers.notes


def test_notes_are_capped():
    query = "&".join(f"output=junk{i}" for i in range(100))
    answers = read_answers(QueryDict(query), choices=static_choices())
    assert len(answers.notes) == MAX_NOTES + 1


def test_answers_round_trip_through_their_query_string():
    query = "private=1&project=video-content&script=1&max=30&uses=slack&output=video&work=chat"
    answers = read_answers(QueryDict(query), choices=static_choices())
    again = read_answers(QueryDict(answers.querystring()), choices=static_choices())
    assert again == answers
    assert answers.budget == "monthly"


@pytest.mark.parametrize(
    "query",
    ["", "project=%ff", "max=" + "9" * 5000, "output=" + "x" * 10_000, "budget=&budget=free"],
)
def test_the_form_is_always_valid_so_no_address_can_fail(query):
    form = AnswersForm(QueryDict(query), choices=static_choices())
    assert form.is_valid()
    assert isinstance(form.answers(), Answers)


def test_each_note_names_the_question_it_concerns():
    answers = read_answers(QueryDict("work=juggling"), choices=static_choices())
    assert answers.notes == ("unknown answer “juggling” to “How will people work with it?”",)


def test_long_values_are_shortened_in_notes():
    answers = read_answers(QueryDict("scale=" + "z" * 500), choices=static_choices())
    assert len(answers.notes[0]) < 100


@pytest.mark.parametrize(
    ("query", "step", "noted"),
    [("", 1, False), ("step=3", 3, False), ("step=2&step=5", 5, False), ("step=99", 1, True),
     ("step=²", 1, True), ("step=" + "0" * 5000, 1, True)],
)  # fmt: skip
def test_the_step_form_shows_the_last_step_asked_for_or_the_first(query, step, noted):
    chosen, notes = StepForm(QueryDict(query)).chosen()
    assert chosen == step
    assert bool(notes) == noted

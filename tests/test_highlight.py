"""The `highlight` filter marks query words in names and pitches without opening an XSS hole."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from catalog.templatetags.highlight import highlight, query_words


def test_it_marks_words_that_start_like_a_query_word():
    assert highlight("Striking images from a prompt", "image") == (
        "Striking <mark>image</mark>s from a prompt"
    )


def test_matching_ignores_case_and_keeps_the_original_text():
    assert highlight("ChatGPT by OpenAI", "chatgpt openai") == (
        "<mark>ChatGPT</mark> by <mark>OpenAI</mark>"
    )


def test_it_marks_word_starts_only():
    assert highlight("Start an art project", "art") == "Start an <mark>art</mark> project"


def test_text_is_escaped_before_it_is_marked():
    assert highlight("<b>Bold</b> & images", "images") == (
        "&lt;b&gt;Bold&lt;/b&gt; &amp; <mark>images</mark>"
    )


def test_a_query_never_matches_inside_an_entity_or_injects_markup():
    assert highlight("Fish & chips", "amp") == "Fish &amp; chips"
    assert highlight("mark & <mark>", "<mark>") == (
        "<mark>mark</mark> &amp; &lt;<mark>mark</mark>&gt;"
    )
    out = highlight("a <script> tag", "<script>alert(1)</script>")
    assert "<script>" not in out
    assert out == "a &lt;<mark>script</mark>&gt; tag"


def test_without_a_query_it_only_escapes():
    assert highlight("A & B", "") == "A &amp; B"
    assert highlight("A & B", None) == "A &amp; B"
    assert highlight(None, "x") == ""


def test_exclusions_operators_and_single_letters_are_not_marked():
    assert query_words('"chat bot" -image or a') == ["chat", "bot"]
    assert highlight("image chat a", "-image chat a") == "image <mark>chat</mark> a"


def test_longer_words_win():
    assert highlight("chatgpt", "chat chatgpt") == "<mark>chatgpt</mark>"


def test_regex_characters_in_the_query_are_literal():
    assert highlight("C++ (beta) tool", "c++ (beta) .*") == "C++ (<mark>beta</mark>) tool"


def test_markup_that_is_already_safe_is_left_alone():
    safe = mark_safe("<em>images</em>")
    assert highlight(safe, "images") is safe


def test_it_works_in_a_template_with_autoescaping():
    template = Template("{% load highlight %}{{ name|highlight:q }}")
    html = template.render(Context({"name": "Midjourney <v6>", "q": "midj"}))
    assert html == "<mark>Midj</mark>ourney &lt;v6&gt;"


@pytest.mark.parametrize("query", ["x" * 10_000, "\x00", "((((", "🙂 emoji", " ".join("w" * 30)])
def test_odd_queries_are_harmless(query):
    assert highlight("Some text with words", query).startswith("Some")


def test_cards_in_search_results_mark_the_query(client, db):
    from tests.factories import ToolFactory

    ToolFactory(name="Midjourney", pitch="Images & more")
    html = client.get("/tools/", {"q": "images"}).content.decode()
    assert '<p class="card-pitch"><mark>Images</mark> &amp; more</p>' in html
    assert ">Midjourney</a></h3>" in html

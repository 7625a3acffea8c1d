"""The tool page: facts, rights in plain words, plans, similar tools, drafts."""

import datetime
from decimal import Decimal

import pytest

from catalog.models import Tool
from tests.factories import (
    AIModelFactory,
    ModalityFactory,
    PricingPlanFactory,
    ToolFactory,
    UseCaseFactory,
)
from tests.pages import card_names

pytestmark = pytest.mark.django_db


def test_it_shows_the_facts_a_visitor_needs(client):
    text, image = ModalityFactory(name="Text"), ModalityFactory(name="Image")
    model = AIModelFactory(name="Imagemaker 3")
    tool = ToolFactory(
        name="Painter",
        input_modalities=[text],
        output_modalities=[image],
        ai_models=[model],
        source_url="https://painter.example.com/pricing",
        checked_on=datetime.date(2026, 10, 2),
    )
    PricingPlanFactory(tool=tool, name="Pro", price=Decimal("12.00"), position=1)
    PricingPlanFactory(tool=tool, name="Free", price=Decimal("0"), position=0)
    response = client.get(tool.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Imagemaker 3" in body
    assert "2 October 2026" in body
    assert "https://painter.example.com/pricing" in body
    assert body.index(">Free<") < body.index(">Pro<")
    assert "USD 12" in body


def test_underlying_models_name_their_developer_and_follow_edits(client):
    open_model = AIModelFactory(name="Llama 3", developer__name="Meta", open_weights=True)
    in_house = AIModelFactory(name="Aardvark", developer=None)
    tool = ToolFactory(ai_models=[open_model, in_house])
    body = client.get(tool.get_absolute_url()).content.decode()
    assert "<dd>Aardvark; Llama 3 (Meta, open weights)</dd>" in body
    open_model.name = "Llama 4"
    open_model.save()
    assert "Llama 4 (Meta, open weights)" in client.get(tool.get_absolute_url()).content.decode()


def test_a_tool_without_known_models_says_so(client):
    body = client.get(ToolFactory().get_absolute_url()).content.decode()
    assert "<dt>Underlying models</dt><dd>Not disclosed</dd>" in body


@pytest.mark.parametrize(
    ("commercial_use", "condition", "answer"),
    [
        ("allowed", "", "Yes. The terms allow commercial use"),
        ("conditional", "Paid plans only", "Yes, with conditions: Paid plans only"),
        ("not_allowed", "", "No. The terms do not allow commercial use"),
        ("unclear", "", "Unclear."),
    ],
)
def test_rights_panel_answers_commercial_use_plainly(client, commercial_use, condition, answer):
    tool = ToolFactory(commercial_use=commercial_use, commercial_use_condition=condition)
    assert answer in client.get(tool.get_absolute_url()).content.decode()


def test_drafts_are_not_found_by_the_public(client):
    tool = ToolFactory(status=Tool.Status.DRAFT)
    assert client.get(tool.get_absolute_url()).status_code == 404


def test_editors_can_preview_drafts(editor_client):
    tool = ToolFactory(status=Tool.Status.DRAFT)
    response = editor_client.get(tool.get_absolute_url())
    assert response.status_code == 200
    assert b"Draft preview" in response.content


def test_discontinued_tools_point_to_their_replacement(client):
    new = ToolFactory(name="Newgen")
    old = ToolFactory(name="Oldgen", status=Tool.Status.DISCONTINUED, replaced_by=new)
    body = client.get(old.get_absolute_url()).content.decode()
    assert "Discontinued" in body
    assert new.get_absolute_url() in body


def test_unknown_slug_is_404(client):
    assert client.get("/tools/no-such-tool/").status_code == 404


def test_similar_tools_rank_by_what_they_share(client):
    image, audio = ModalityFactory(name="Image"), ModalityFactory(name="Audio")
    art = UseCaseFactory(name="Art")
    tool = ToolFactory(name="Painter", output_modalities=[image], use_cases=[art])
    ToolFactory(name="Close", output_modalities=[image], use_cases=[art])
    ToolFactory(name="Near", output_modalities=[image])
    ToolFactory(name="Unrelated", output_modalities=[audio])
    ToolFactory(name="Draft twin", output_modalities=[image], status=Tool.Status.DRAFT)
    similar = card_names(client.get(tool.get_absolute_url()))
    assert similar == ["Close", "Near"]


def test_similar_tools_are_capped_at_six(client):
    image = ModalityFactory(name="Image")
    tool = ToolFactory(output_modalities=[image])
    ToolFactory.create_batch(9, output_modalities=[image])
    assert len(card_names(client.get(tool.get_absolute_url()))) == 6


def test_stale_facts_are_flagged(client):
    tool = ToolFactory(checked_on=datetime.date(2020, 1, 1))
    assert b"prices and terms may have changed" in client.get(tool.get_absolute_url()).content

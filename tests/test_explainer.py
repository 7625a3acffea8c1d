"""The "LLMs vs generative AI" explainer: its counts match the catalogue."""

import pytest
from django.urls import reverse

from catalog.models import Tool
from tests.factories import ModalityFactory, ModelFamilyFactory, ToolFactory

pytestmark = pytest.mark.django_db
URL = reverse("catalog:explainer_llm")


@pytest.fixture
def catalogue():
    llm = ModelFamilyFactory(name="Large language model", slug="llm", is_language=True)
    diffusion = ModelFamilyFactory(name="Diffusion")
    text, image = ModalityFactory(name="Text"), ModalityFactory(name="Image")
    ToolFactory(name="Chat", families=[llm], output_modalities=[text])
    ToolFactory(name="Both", families=[llm, diffusion], output_modalities=[text, image])
    ToolFactory(name="Paint", families=[diffusion], output_modalities=[image])
    ToolFactory(name="Hidden", families=[llm], output_modalities=[text], status=Tool.Status.DRAFT)
    return {"llm": llm, "diffusion": diffusion, "text": text, "image": image}


def test_it_explains_the_relationship(client, db):
    html = client.get(URL).content.decode()
    assert "every LLM is generative AI" in html
    assert "<table" in html


def test_its_counts_match_the_published_catalogue(client, catalogue):
    context = client.get(URL).context
    assert (context["total"], context["llm_count"], context["other_count"]) == (3, 2, 1)
    assert {f.slug: f.n for f in context["families"]} == {"llm": 2, "diffusion": 2}
    assert {m.slug: m.n for m in context["modalities"]} == {"text": 2, "image": 2}


def test_it_links_into_the_filtered_lists(client, catalogue):
    html = client.get(URL).content.decode()
    assert reverse("catalog:family", args=["llm"]) in html
    assert reverse("catalog:modality", args=["image"]) in html


def test_the_header_links_to_it(client, db):
    assert URL in client.get(reverse("catalog:home")).content.decode()


def test_the_query_budget_is_constant(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as captured:
        client.get(URL)
    for n in range(40):
        ToolFactory(
            name=f"Extra {n}", families=[catalogue["llm"]], output_modalities=[ModalityFactory()]
        )
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert client.get(URL).status_code == 200

"""Anonymous pages carry validators from the catalogue version; editors always get fresh pages."""

import pytest

from tests.factories import ToolFactory

pytestmark = pytest.mark.django_db


def test_anonymous_pages_are_public_with_validators(client):
    ToolFactory()
    response = client.get("/tools/")
    assert response.status_code == 200
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "public" in response["Cache-Control"]
    assert "max-age=5" in response["Cache-Control"]


def test_a_matching_etag_gets_304_without_rendering(client, django_assert_max_num_queries):
    ToolFactory()
    etag = client.get("/tools/")["ETag"]
    with django_assert_max_num_queries(1):
        again = client.get("/tools/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_each_url_has_its_own_etag(client):
    ToolFactory()
    assert client.get("/tools/")["ETag"] != client.get("/tools/?free=1")["ETag"]


def test_an_editors_change_invalidates_the_etag(client):
    tool = ToolFactory(name="Before")
    etag = client.get("/tools/")["ETag"]
    tool.name = "After"
    tool.save()
    response = client.get("/tools/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert b"After" in response.content
    assert response["ETag"] != etag


def test_editors_always_get_private_fresh_pages(editor_client):
    ToolFactory()
    response = editor_client.get("/tools/")
    assert response.status_code == 200
    assert "ETag" not in response
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_pages_with_forms_are_never_public(client):
    response = client.get("/submit/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response


def test_errors_are_not_given_validators(client):
    response = client.get("/tools/does-not-exist/")
    assert response.status_code == 404
    assert "ETag" not in response

"""Static URLs are worked out once per process (directory/storage.py) and stay right."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from directory.storage import ManifestStaticStorage, StaticStorage


def test_development_urls_point_at_the_source_files():
    storage = StaticStorage()
    assert storage.url("css/site.css") == "/static/css/site.css"
    assert storage.url("css/site.css") == "/static/css/site.css"


def test_production_urls_name_the_hashed_file_and_a_missing_file_still_fails(tmp_path):
    production = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "directory.storage.ManifestStaticStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=production, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        storage = ManifestStaticStorage()
        first = storage.url("css/site.css")
        assert first.startswith("/static/css/site.") and first.endswith(".css")
        assert first != "/static/css/site.css"
        assert (tmp_path / first.removeprefix("/static/")).exists()
        assert storage.url("css/site.css") == first
        for _ in range(2):  # an unknown name is not remembered as anything
            with pytest.raises(ValueError):
                storage.url("css/missing.css")

import os

import pytest
from django.test import Client

from tests.factories import EditorFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Forget content types a test created: its rollback removes them from the database.

    History versions link rows (auto-created models), whose content types are
    made on first use rather than by migrate.
    """
    yield
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def senior_client(db) -> Client:
    from tests.editorial_factories import SeniorEditorFactory

    client = Client()
    client.force_login(SeniorEditorFactory())
    return client


@pytest.fixture
def superuser_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def pytest_collection_modifyitems(config, items):
    """Run `postgres`-marked tests only on PostgreSQL; refuse a fake PostgreSQL run."""
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    if os.environ.get("REQUIRE_POSTGRES") and not on_postgres:
        raise pytest.UsageError("REQUIRE_POSTGRES is set but DATABASE_URL is not PostgreSQL")
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)

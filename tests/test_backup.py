"""`backup_database` and `restore_database`: a round trip gives back every row."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.models import Tool
from editorial.models import Review, Submission
from tests.editorial_factories import ReviewFactory, SubmissionFactory

# The dump and restore run outside the test's transaction, so the rows must be committed.
# serialized_rollback: start from the migrations' data (the Editors group) even when an
# earlier transactional test has flushed it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def everything() -> str:
    """Every row of every table, in a stable order."""
    out = io.StringIO()
    call_command("dumpdata", format="json", stdout=out)
    return out.getvalue()


def test_a_backup_round_trip_loses_nothing(tmp_path, editor):
    call_command("load_demo_catalogue", verbosity=0)
    ReviewFactory(tool=Tool.objects.first(), author=editor)
    SubmissionFactory()
    before = everything()
    backup = tmp_path / "site.backup"

    call_command("backup_database", str(backup), stdout=io.StringIO())
    Review.objects.all().delete()
    Submission.objects.all().delete()
    Tool.objects.filter(pk__in=Tool.objects.values("pk")[:10]).delete()
    assert everything() != before
    call_command("restore_database", str(backup), interactive=False, stdout=io.StringIO())

    assert everything() == before
    assert Tool.objects.count() > 100


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")

    with pytest.raises(CommandError):
        call_command("restore_database", str(junk), interactive=False)


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore_database", str(tmp_path / "nowhere"), interactive=False)

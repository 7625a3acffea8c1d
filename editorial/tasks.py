"""Background jobs (django.tasks): immediate in development and tests, queued in production."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from catalog.models import Tool
from editorial.linkruns import run_checks

# An editor waits for the immediate backend, so checks from the admin give up sooner.
ADMIN_TIMEOUT = 8.0


@task
def check_tool_links(*, tool_ids: list[int], user_id: int | None = None) -> dict[str, object]:
    """Check the links of some tools, as the editor who asked; returns the run's counts."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = run_checks(
        tools=Tool.objects.filter(pk__in=tool_ids), user=user, timeout=ADMIN_TIMEOUT, retries=1
    )
    return {
        "outcome": run.outcome,
        "ok": run.ok,
        "broken": run.broken,
        "unreachable": run.unreachable,
        "message": run.message,
    }

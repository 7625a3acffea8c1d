"""A link-checker run: check every URL of some tools, then record what was found.

Results are written only when the run could reach most of what it checked.
When most checks got no answer at all (no network, timeouts, TLS failures),
the run is recorded as abandoned and every previous result is kept: "we could
not check" must never become "this link is broken".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models import Tool
from editorial.linkcheck import LinkResult, Outcome, check_many
from editorial.models import LinkCheck, LinkCheckResult, LinkCheckRun

# A run is abandoned when more than this share of its checks reached nothing.
MAX_UNREACHABLE_SHARE = 0.5

Progress = Callable[[int, int, LinkResult], None]


def urls_of(tools: QuerySet[Tool]) -> dict[str, list[int]]:
    """Each distinct URL (website, source) with the ids of the tools that use it."""
    urls: dict[str, list[int]] = {}
    for pk, website, source in tools.values_list("pk", "website", "source_url"):
        for url in dict.fromkeys([website, source]):
            if url:
                urls.setdefault(url, []).append(pk)
    return urls


def run_checks(
    *,
    tools: QuerySet[Tool],
    user: Any = None,
    progress: Progress | None = None,
    check: Callable[..., Iterable[LinkResult]] = check_many,
    **options: Any,
) -> LinkCheckRun:
    """Check the tools' URLs and record the run; `options` go to `check` (workers, timeout...)."""
    urls = urls_of(tools)
    run = LinkCheckRun.objects.create(started_by=user if _is_user(user) else None)
    results: list[LinkResult] = []
    for done, result in enumerate(check(urls, **options), start=1):
        results.append(result)
        if progress is not None:
            progress(done, len(urls), result)
    counts = dict.fromkeys(Outcome, 0)
    for result in results:
        counts[result.outcome] += 1
    run.checked = len(results)
    run.ok = counts[Outcome.OK]
    run.broken = counts[Outcome.BROKEN]
    run.unreachable = counts[Outcome.UNREACHABLE]
    run.finished_at = timezone.now()
    if results and run.unreachable > MAX_UNREACHABLE_SHARE * len(results):
        run.outcome = LinkCheckRun.Outcome.ABANDONED
        run.message = (
            f"Could not reach {run.unreachable} of {len(results)} links (no network, "
            "timeouts or TLS failures), so nothing was recorded and the previous "
            "results stand. Check this machine's network and run it again."
        )
        run.save()
        return run
    with transaction.atomic():
        run.save()
        _record(run, results, urls)
        _forget_unused(tools)
    return run


def _record(run: LinkCheckRun, results: list[LinkResult], urls: dict[str, list[int]]) -> None:
    history = []
    for result in results:
        fields = {
            "state": result.outcome.value,
            "status_code": result.status_code,
            "error": result.error,
            "checked_at": run.finished_at,
        }
        for tool_id in urls[result.url]:
            LinkCheck.objects.update_or_create(
                tool_id=tool_id, url=result.url, defaults={**fields, "run": run}
            )
            history.append(LinkCheckResult(run=run, tool_id=tool_id, url=result.url, **fields))
    LinkCheckResult.objects.bulk_create(history)


def _forget_unused(tools: QuerySet[Tool]) -> None:
    """Drop latest results for URLs the tools no longer use (their history stays)."""
    for pk, website, source in tools.values_list("pk", "website", "source_url"):
        LinkCheck.objects.filter(tool_id=pk).exclude(Q(url=website) | Q(url=source)).delete()


def _is_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))

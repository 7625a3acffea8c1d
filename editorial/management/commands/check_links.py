from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Tool
from editorial.linkcheck import LinkResult, Outcome
from editorial.linkruns import run_checks
from editorial.models import LinkCheckRun

LABELS = {Outcome.OK: "ok", Outcome.BROKEN: "BROKEN", Outcome.UNREACHABLE: "could not check"}


class Command(BaseCommand):
    help = (
        "Check every tool's website and source URL. Records which are broken (HTTP 4xx/5xx, "
        "a domain that does not exist) apart from those that could not be checked. When "
        "most links cannot be reached at all, keeps the previous results and exits 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=8, help="Requests in flight at once.")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request.")
        parser.add_argument("--retries", type=int, default=2, help="Extra tries on failure.")
        parser.add_argument("--tool", action="append", default=[], help="Only this tool slug.")

    def handle(self, *args, workers: int, timeout: float, retries: int, tool: list[str], **kw):
        tools = Tool.objects.all() if not tool else Tool.objects.filter(slug__in=tool)
        self.stdout.write(f"Checking the links of {tools.count()} tools...")
        run = run_checks(
            tools=tools,
            progress=self._progress,
            workers=workers,
            timeout=timeout,
            retries=retries,
        )
        if run.outcome == LinkCheckRun.Outcome.ABANDONED:
            raise CommandError(run.message)
        summary = f"Done: {run.ok} ok, {run.broken} broken, {run.unreachable} could not be checked."
        style = self.style.WARNING if run.broken or run.unreachable else self.style.SUCCESS
        self.stdout.write(style(summary))

    def _progress(self, done: int, total: int, result: LinkResult) -> None:
        detail = f" ({result.error or result.status_code})" if not result.ok else ""
        self.stdout.write(f"[{done}/{total}] {result.url} {LABELS[result.outcome]}{detail}")

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from catalog.models import Tool
from editorial.linkcheck import check_many
from editorial.models import LinkCheck


class Command(BaseCommand):
    help = "Check every tool's website and source URL and record which ones are broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=8, help="Requests in flight at once.")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request.")
        parser.add_argument("--retries", type=int, default=2, help="Extra tries on failure.")
        parser.add_argument("--tool", action="append", default=[], help="Only this tool slug.")

    def handle(self, *args, workers: int, timeout: float, retries: int, tool: list[str], **kw):
        tools = Tool.objects.all() if not tool else Tool.objects.filter(slug__in=tool)
        urls: dict[str, list[int]] = {}
        for pk, website, source in tools.values_list("pk", "website", "source_url"):
            for url in {website, source} - {""}:
                urls.setdefault(url, []).append(pk)
        self.stdout.write(f"Checking {len(urls)} URLs of {tools.count()} tools...")
        broken = 0
        results = check_many(urls, workers=workers, timeout=timeout, retries=retries)
        for done, result in enumerate(results, start=1):
            broken += not result.ok
            for pk in urls[result.url]:
                LinkCheck.objects.update_or_create(
                    tool_id=pk,
                    url=result.url,
                    defaults={
                        "status_code": result.status_code,
                        "ok": result.ok,
                        "error": result.error,
                        "checked_at": timezone.now(),
                    },
                )
            status = "ok" if result.ok else f"BROKEN ({result.error or result.status_code})"
            self.stdout.write(f"[{done}/{len(urls)}] {result.url} {status}")
        # Forget checks of URLs the tools no longer use.
        for pk, website, source in tools.values_list("pk", "website", "source_url"):
            LinkCheck.objects.filter(tool_id=pk).exclude(Q(url=website) | Q(url=source)).delete()
        style = self.style.WARNING if broken else self.style.SUCCESS
        self.stdout.write(style(f"Done: {len(urls) - broken} ok, {broken} broken."))

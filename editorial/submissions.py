"""What happens to visitors' submissions: matching listed domains, approving, rejecting."""

from __future__ import annotations

from urllib.parse import urlsplit

import reversion
from django.db import transaction
from django.utils.text import slugify

from catalog.models import CommercialUse, LicenceClass, PricingModel, Tool
from editorial.models import Submission


def domain_of(url: str) -> str:
    """The host of a URL, lower-cased and without a leading 'www.'."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def listed_tool_for(url: str) -> Tool | None:
    """A public tool whose website is on the same domain as `url`, if there is one."""
    domain = domain_of(url)
    if not domain:
        return None
    candidates = Tool.objects.exclude(status=Tool.Status.DRAFT).filter(website__icontains=domain)
    return next((t for t in candidates.order_by("pk") if domain_of(t.website) == domain), None)


def unique_tool_slug(name: str) -> str:
    base = slugify(name)[:100] or "tool"
    taken = set(Tool.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def approve(submission: Submission, *, user) -> Tool | None:
    """Accept a submission. A new-tool suggestion becomes a draft tool, which is returned."""
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Created from visitor submission #{submission.pk}.")
        tool = None
        if submission.kind == Submission.Kind.NEW_TOOL:
            tool = Tool.objects.create(
                name=submission.name,
                slug=unique_tool_slug(submission.name),
                pitch=submission.pitch,
                website=submission.website,
                status=Tool.Status.DRAFT,
                pricing_model=submission.pricing_model or PricingModel.CONTACT,
                licence_class=LicenceClass.UNCLEAR,
                commercial_use=CommercialUse.UNCLEAR,
            )
            tool.output_modalities.set(submission.modalities.all())
        submission.status = Submission.Status.APPROVED
        submission.created_tool = tool
        submission.save(update_fields=["status", "created_tool"])
    return tool


def reject(submission: Submission, *, reason: str) -> None:
    submission.status = Submission.Status.REJECTED
    submission.rejection_reason = reason[:300]
    submission.save(update_fields=["status", "rejection_reason"])

"""What happens to visitors' submissions: matching, grouping, and every editor's decision.

Each decision (approve, reject, spam) records who made it and when, in the
row and in its history; a rejection needs a reason whichever path it takes.
A suggestion for a tool we already have, or already have a pending
suggestion for, is matched instead of queued; an identical problem report is
counted on the pending one instead of queued again.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from catalog import history
from catalog.models import CommercialUse, LicenceClass, PricingModel, Tool
from editorial.models import Submission

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def domain_of(url: str) -> str:
    """The host of a URL, lower-cased and without a leading 'www.'."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def name_key(name: str) -> str:
    """A name reduced to letters and digits: "Note-Wise" and "notewise" match."""
    return _NOT_ALNUM.sub("", name.lower())


def same_site(url: str, other: str) -> bool:
    """Same domain, and `url` lies under `other`'s path when `other` names one.

    Vendors host several tools on one domain (example.com/express and
    example.com/firefly): a tool listed under a path only matches that path.
    """
    if not domain_of(url) or domain_of(url) != domain_of(other):
        return False
    base = urlsplit(other).path.rstrip("/").lower()
    return not base or (urlsplit(url).path.lower() + "/").startswith(base + "/")


def matching_tool(*, name: str, website: str) -> Tool | None:
    """A catalogue tool (any status) on the same site or with the same name."""
    domain = domain_of(website)
    candidates = Tool.objects.filter(Q(website__icontains=domain) if domain else Q(pk__in=[]))
    for tool in candidates.order_by("pk"):
        if same_site(website, tool.website):
            return tool
    key = name_key(name)
    if key:
        # Names that start alike, compared letter for letter: "Note-Wise" is "NoteWise".
        for tool in Tool.objects.filter(name__istartswith=name.strip()[:3]).order_by("pk"):
            if name_key(tool.name) == key:
                return tool
    return None


def listed_tool_for(url: str) -> Tool | None:
    """A public tool on the same site as `url`, if there is one."""
    tool = matching_tool(name="", website=url)
    return tool if tool is not None and tool.status != Tool.Status.DRAFT else None


def matching_suggestion(*, name: str, website: str) -> Submission | None:
    """An earlier suggestion still waiting, or approved, for the same site or name."""
    earlier = Submission.objects.filter(
        kind=Submission.Kind.NEW_TOOL,
        status__in=[Submission.Status.PENDING, Submission.Status.APPROVED],
    )
    domain = domain_of(website)
    key = name_key(name)
    same_domain = Q(website__icontains=domain) if domain else Q(pk__in=[])
    alike = Q(name__istartswith=name.strip()[:3]) if key else Q(pk__in=[])
    for submission in earlier.filter(same_domain | alike).order_by("pk"):
        if same_site(website, submission.website) or name_key(submission.name) == key:
            return submission
    return None


def note_copy(submission: Submission) -> None:
    """Count one more identical submission on a pending one."""
    Submission.objects.filter(pk=submission.pk).update(copies=F("copies") + 1)


def identical_report(*, tool: Tool, reason: str, message: str) -> Submission | None:
    """A pending report on the same tool, for the same reason, saying the same thing."""
    said = " ".join(message.split()).lower()
    pending = Submission.objects.pending().filter(
        kind=Submission.Kind.PROBLEM, tool=tool, reason=reason
    )
    return next((r for r in pending if " ".join(r.message.split()).lower() == said), None)


def unique_tool_slug(name: str) -> str:
    base = slugify(name)[:100] or "tool"
    taken = set(Tool.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def approve(submission: Submission, *, user) -> tuple[Tool | None, bool]:
    """Accept a submission: (the tool it became or matched, whether a draft was created).

    A suggestion for a tool already in the catalogue (same site or name) is
    matched to it; only a new one becomes a draft.
    """
    with history.revision(comment=f"Approved submission #{submission.pk}.", user=user):
        tool, created = None, False
        if submission.kind == Submission.Kind.NEW_TOOL:
            tool = matching_tool(name=submission.name, website=submission.website)
            if tool is None:
                tool, created = _draft_from(submission), True
        _decide(submission, Submission.Status.APPROVED, user=user, created_tool=tool)
    return tool, created


def reject(submission: Submission, *, reason: str, user) -> None:
    reason = reason.strip()
    if not reason:
        raise ValueError("A rejection needs a reason.")
    with history.revision(comment=f"Rejected: {reason}"[:300], user=user):
        _decide(submission, Submission.Status.REJECTED, user=user, rejection_reason=reason[:300])


def mark_spam(submission: Submission, *, user) -> None:
    with history.revision(comment="Marked as spam.", user=user):
        _decide(submission, Submission.Status.SPAM, user=user)


def _decide(submission: Submission, status: str, *, user, **fields: object) -> None:
    submission.status = status
    submission.decided_by = user if getattr(user, "is_authenticated", False) else None
    submission.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.save()


def _draft_from(submission: Submission) -> Tool:
    with transaction.atomic():
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
    return tool

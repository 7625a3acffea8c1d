"""factory-boy factories for the editorial app."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from editorial.models import LinkCheck, Review, Submission
from tests.factories import EditorFactory, ToolFactory


class SeniorEditorFactory(EditorFactory):
    """Staff member in both Editors and Senior editors."""

    @factory.post_generation
    def senior_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Senior editors"))


class ReviewFactory(DjangoModelFactory[Review]):
    """A published review with middling scores unless told otherwise."""

    class Meta:
        model = Review

    tool = factory.SubFactory(ToolFactory)
    author = factory.SubFactory(EditorFactory)
    headline = factory.Sequence(lambda n: f"Review headline {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.headline))
    verdict = "Good at the one thing it does; look elsewhere for the rest."
    body = "We used it for a week.\n\n## What worked\n\nMost things."
    pros = "Fast\nCheap"
    cons = "No API"
    score_quality = 4
    score_ease = 4
    score_value = 3
    score_integration = 2
    score_rights = 3
    score_overall = 3
    plan_tested = "Pro"
    version_tested = "2.1"
    method = Review.Method.HANDS_ON
    tested_on = factory.LazyFunction(lambda: datetime.date(2026, 10, 1))
    status = Review.Status.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Review.Status.PUBLISHED else None
    )


class SubmissionFactory(DjangoModelFactory[Submission]):
    class Meta:
        model = Submission

    kind = Submission.Kind.NEW_TOOL
    name = factory.Sequence(lambda n: f"Suggested {n}")
    website = factory.LazyAttribute(lambda o: f"https://{slugify(o.name)}.example.net/")
    pitch = "Writes your release notes."
    pricing_model = "subscription"
    status = Submission.Status.PENDING
    decided_at = factory.LazyAttribute(
        lambda o: None if o.status == Submission.Status.PENDING else timezone.now()
    )


class LinkCheckFactory(DjangoModelFactory[LinkCheck]):
    class Meta:
        model = LinkCheck

    tool = factory.SubFactory(ToolFactory)
    url = factory.LazyAttribute(lambda o: o.tool.website)
    status_code = 200
    state = LinkCheck.State.OK

"""Public pages: reviews (list, detail, author, feed) and the visitors' forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.generic import DetailView, ListView, TemplateView

from catalog.models import Tool
from editorial import ratelimit, submissions
from editorial.forms import ReportProblemForm, SuggestToolForm
from editorial.models import Review, Submission

SUBMIT_SCOPE = "submit"
SUBMIT_LIMIT = 5
SUBMIT_WINDOW = 60 * 60


class PublishedReviewsMixin:
    paginate_by = 20

    def reviews(self) -> QuerySet[Review]:
        # Cards show the tool and the author: join both, one query per page.
        return Review.objects.public().select_related("tool", "author").newest_first()


class ReviewListView(PublishedReviewsMixin, ListView):
    template_name = "editorial/review_list.html"
    context_object_name = "reviews"

    def get_queryset(self) -> QuerySet[Review]:
        return self.reviews()


class AuthorReviewListView(PublishedReviewsMixin, ListView):
    template_name = "editorial/review_author.html"
    context_object_name = "reviews"

    def get_queryset(self) -> QuerySet[Review]:
        self.author = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        reviews = self.reviews().filter(author=self.author)
        # Only people with published work have a public page.
        if not reviews.exists():
            raise Http404("No published reviews by this author.")
        return reviews

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(author=self.author, **kwargs)


class ReviewDetailView(DetailView):
    template_name = "editorial/review_detail.html"
    context_object_name = "review"

    def get_queryset(self) -> QuerySet[Review]:
        # The page names the tool, its vendor and the author; drafts only for staff.
        return Review.objects.visible_to(self.request.user).select_related(
            "tool", "tool__vendor", "author"
        )


class LatestReviewsFeed(Feed):
    feed_type = Atom1Feed
    title = "Toolfinder reviews"
    subtitle = "Reviews of AI tools, each labelled hands-on test or documentation review."
    link = reverse_lazy("editorial:review_list")

    def items(self) -> QuerySet[Review]:
        return Review.objects.public().select_related("tool", "author").newest_first()[:20]

    def item_title(self, item: Review) -> str:
        return f"{item.tool.name}: {item.headline}"

    def item_description(self, item: Review) -> str:
        # Feed readers treat the summary as HTML; the verdict is plain text.
        return escape(f"{item.get_method_display()}. {item.verdict}")

    def item_categories(self, item: Review) -> list[str]:
        return [item.get_method_display()]

    def item_author_name(self, item: Review) -> str:
        return item.author.get_full_name() or item.author.get_username()

    def item_pubdate(self, item: Review):
        return item.published_at

    def item_updateddate(self, item: Review):
        return item.updated


class SubmitThanksView(TemplateView):
    template_name = "editorial/submit_thanks.html"


def submit_tool(request: HttpRequest) -> HttpResponse:
    """Suggest a tool. Listed domains point to the existing entry; bots get a quiet yes."""
    form = SuggestToolForm(request.POST or None)
    if request.method == "POST":
        if _limited(request):
            return _too_many(request, "editorial/submit.html", form)
        if form.is_bot():
            _record(request)
            return redirect("editorial:submit_thanks")
        if form.is_valid():
            if form.existing_tool is not None or form.earlier_suggestion is not None:
                if form.earlier_suggestion is not None:
                    submissions.note_copy(form.earlier_suggestion)
                _record(request)
                return render(request, "editorial/already_listed.html", _known(form))
            _save(request, form, kind=Submission.Kind.NEW_TOOL)
            return redirect("editorial:submit_thanks")
    return render(request, "editorial/submit.html", {"form": form})


def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    tool = get_object_or_404(Tool.objects.exclude(status=Tool.Status.DRAFT), slug=slug)
    form = ReportProblemForm(request.POST or None)
    context = {"form": form, "tool": tool}
    if request.method == "POST":
        if _limited(request):
            return _too_many(request, "editorial/report.html", form, tool=tool)
        thanks = "Thank you. An editor will look into it."
        if form.is_bot():
            _record(request)
        elif form.is_valid():
            same = submissions.identical_report(
                tool=tool, reason=form.cleaned_data["reason"], message=form.cleaned_data["message"]
            )
            if same is not None:
                submissions.note_copy(same)
                _record(request)
                thanks = "Thank you. Someone reported the same thing; we have noted yours with it."
            else:
                _save(request, form, kind=Submission.Kind.PROBLEM, tool=tool)
        else:
            return render(request, "editorial/report.html", context)
        messages.success(request, thanks)
        return redirect(tool)
    return render(request, "editorial/report.html", context)


def _known(form: SuggestToolForm) -> dict[str, Any]:
    """What the visitor may learn about the match: a public tool by name, a draft or an
    earlier suggestion only as 'already on our list'."""
    tool = form.existing_tool
    if tool is not None and tool.status != Tool.Status.DRAFT:
        return {"tool": tool}
    return {"tool": None, "waiting": tool is None}


def _limited(request: HttpRequest) -> bool:
    return ratelimit.is_limited(
        request, scope=SUBMIT_SCOPE, limit=SUBMIT_LIMIT, window=SUBMIT_WINDOW
    )


def _record(request: HttpRequest) -> None:
    ratelimit.record_hit(request, scope=SUBMIT_SCOPE, window=SUBMIT_WINDOW)


def _save(request: HttpRequest, form, *, kind: str, tool: Tool | None = None) -> Submission:
    submission = form.save(commit=False)
    submission.kind = kind
    submission.tool = tool
    submission.client_hash = ratelimit.client_hash(request)
    submission.save()
    form.save_m2m()
    _record(request)
    return submission


def _too_many(request: HttpRequest, template: str, form, **context: Any) -> HttpResponse:
    form.is_valid()  # Keep what the visitor typed and show it back with the refusal.
    context.update(form=form, too_many=True, retry_minutes=SUBMIT_WINDOW // 60)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(SUBMIT_WINDOW)
    return response

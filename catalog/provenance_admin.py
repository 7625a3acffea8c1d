"""How editors record where facts come from: the tool page's inline and "I checked this today".

Both write `Verification` rows through the model (so `Tool.last_checked` follows);
neither lets anyone type a last-checked date by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from catalog.models import Tool
from catalog.provenance import EDITOR_CHECKS, FactGroup, Method, Verification

COVERS = [f"covers_{group}" for group in FactGroup.values]


class VerificationInline(admin.TabularInline):
    """The tool's provenance records on its change page, newest first."""

    model = Verification
    fields = ("method", "as_of", "checked_by", "source_url", *COVERS, "notes")
    ordering = ("-as_of", "-recorded_at")
    extra = 0
    verbose_name = "provenance record"
    verbose_name_plural = "provenance: how, when and by whom these facts were obtained"

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "checked_by":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "as_of":
            kwargs["initial"] = timezone.localdate
        elif db_field.name == "notes":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CheckedTodayForm(forms.ModelForm):
    """ "I checked this today against ...": an editor's check of one tool, dated today."""

    class Meta:
        model = Verification
        fields = ("method", "source_url", *COVERS, "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, tool: Tool, user: Any, **kwargs: Any) -> None:
        initial = {"source_url": tool.source_url, **dict.fromkeys(COVERS, True)}
        super().__init__(*args, initial=initial, **kwargs)
        self.instance.tool = tool
        self.instance.checked_by = user
        self.instance.as_of = timezone.localdate()
        self.fields["method"].choices = [(m.value, m.label) for m in EDITOR_CHECKS]
        self.fields["method"].initial = Method.VENDOR_PAGE
        self.fields["source_url"].label = "Against which page"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        same = Verification.objects.filter(
            tool=self.instance.tool,
            method=cleaned.get("method"),
            as_of=self.instance.as_of,
            source_url=cleaned.get("source_url") or "",
        )
        if same.exists():
            raise forms.ValidationError(
                "This check is already recorded for today; change it on the tool's page."
            )
        return cleaned


def record_check(request: HttpRequest, model_admin: admin.ModelAdmin, pk: int) -> HttpResponse:
    """The freshness view's "I checked this today" page for one tool (GET shows, POST saves)."""
    if not request.user.has_perm("catalog.add_verification"):
        raise PermissionDenied
    tool = get_object_or_404(Tool, pk=pk)
    form = CheckedTodayForm(request.POST or None, tool=tool, user=request.user)
    if request.method == "POST" and form.is_valid():
        check = form.save()
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[check],
            action_flag=ADDITION,
            change_message=[{"added": {"name": "provenance record", "object": str(check)}}],
        )
        model_admin.message_user(
            request, f"Recorded your check of {tool.name}, dated today.", messages.SUCCESS
        )
        opts = model_admin.opts
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"I checked {tool.name} today",
        "tool": tool,
        "form": form,
    }
    return render(request, "admin/catalog/record_check.html", context)

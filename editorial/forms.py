"""Visitors' forms. Every field has a length cap; a hidden honeypot catches form-filling bots."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from catalog.models import Modality, PricingModel, Tool
from editorial.models import Submission
from editorial.submissions import matching_suggestion, matching_tool


class HoneypotMixin(forms.Form):
    # Hidden from people by editorial.css and from assistive tech by aria-hidden;
    # bots that fill every field fill this one too.
    nickname = forms.CharField(
        required=False,
        max_length=100,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get("nickname"))


class SuggestToolForm(HoneypotMixin, forms.ModelForm):
    pricing_model = forms.ChoiceField(
        label="How is it priced?", choices=[("", "Choose one"), *PricingModel.choices]
    )
    modalities = forms.ModelMultipleChoiceField(
        label="What does it make?",
        queryset=Modality.objects.all(),
        # Slugs, not ids: a tampered huge number must be "not a choice", never a 500.
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Submission
        fields = ["name", "website", "pitch", "pricing_model", "modalities", "email", "message"]
        labels = {
            "name": "Tool name",
            "website": "Its website",
            "pitch": "What does it do, in one line?",
            "email": "Your email (optional, only if we may ask you about it)",
            "message": "Anything else we should know? (optional)",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in ("name", "website", "pitch"):
            self.fields[field].required = True
        self.fields["website"].assume_scheme = "https"
        # Only web addresses: the default validator also accepts ftp.
        website = self.fields["website"]
        website.validators = [v for v in website.validators if not isinstance(v, URLValidator)] + [
            URLValidator(schemes=["http", "https"])
        ]
        self.existing_tool: Tool | None = None
        self.earlier_suggestion: Submission | None = None

    def clean(self) -> dict:
        data = super().clean()
        name, website = data.get("name", ""), data.get("website", "")
        if name and website:
            # Matched, not queued: the visitor is told it is known already.
            self.existing_tool = matching_tool(name=name, website=website)
            if self.existing_tool is None:
                self.earlier_suggestion = matching_suggestion(name=name, website=website)
        return data


class ReportProblemForm(HoneypotMixin, forms.ModelForm):
    reason = forms.ChoiceField(
        label="What is wrong?", choices=Submission.Reason.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Submission
        fields = ["reason", "message", "email"]
        labels = {
            "message": "Tell us what you found and, if you can, where",
            "email": "Your email (optional, only if we may ask you about it)",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].required = True


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=300, widget=forms.Textarea(attrs={"rows": 3}), label="Why reject?"
    )


class SubmissionDecisionForm(forms.ModelForm):
    """The queue's edit form: a decision goes through editorial.submissions, like the actions."""

    class Meta:
        model = Submission
        fields = ["status", "rejection_reason"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "rejection_reason" in self.fields:
            self.fields["rejection_reason"].widget = forms.Textarea(attrs={"rows": 2, "cols": 60})

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("status") == Submission.Status.REJECTED
            and not (data.get("rejection_reason") or "").strip()
        ):
            self.add_error(
                "rejection_reason", "Say why it is rejected: a rejection needs a reason."
            )
        return data


class PreviewForm(forms.Form):
    """A review body to preview: capped, since it is rendered on every keystroke pause."""

    body = forms.CharField(required=False, max_length=100_000, strip=False)

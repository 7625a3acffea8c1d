"""Filling in admin forms as an editor's browser would."""

from django.forms import CheckboxInput


def form_data(response) -> dict:
    """The POST an editor's browser would send for the admin form in `response`."""
    data: dict = {}

    def add(form) -> None:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data

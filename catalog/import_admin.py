"""Import and export in the admin (django-import-export), made safe for the catalogue.

- An import first runs as a dry run and shows each row's changes and errors;
  nothing is written until the editor confirms.
- The confirmed import is one transaction and one history revision (with the
  editor and the file's name), and moves the catalogue version once.
- Any row error or validation error rolls the whole import back.
- Files over MAX_IMPORT_BYTES are refused before they are read.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm

from catalog import history, versioning

MAX_IMPORT_BYTES = 5 * 1024 * 1024
FORMATS = [CSV, JSON, XLSX]


class SizedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; imports take at most "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        return upload


class _ImportFailed(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


class CatalogueImportExportMixin(ImportExportMixin):
    import_formats = FORMATS
    export_formats = FORMATS
    import_form_class = SizedImportForm

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_dataset(self, dataset, form, request: HttpRequest, **kwargs: Any):
        name = form.cleaned_data.get("original_file_name") or "an uploaded file"
        comment = f"Imported {self.opts.verbose_name_plural} from {name}."
        try:
            with history.revision(comment=comment, user=request.user), versioning.batch():
                result = super().process_dataset(dataset, form, request, **kwargs)
                if result.has_errors() or result.has_validation_errors():
                    raise _ImportFailed(result)  # undo the revision and every row
        except _ImportFailed as failed:
            return failed.result
        return result

    def process_result(self, result, request: HttpRequest):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                "Nothing was imported: the file changed between the preview and the "
                "confirmation and now has errors. Import it again to see them.",
            )
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        return super().process_result(result, request)

    def add_data_read_fail_error_to_form(self, form, error: Exception) -> None:
        form.add_error(
            "import_file",
            f"This file could not be read as the chosen format ({type(error).__name__}). "
            "Check the format, and save CSV and JSON files as UTF-8.",
        )

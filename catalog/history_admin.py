"""The admin side of history: diffs, guarded reverts, whole recoveries, honest delete pages.

`HistoryAdmin` is django-reversion's `VersionAdmin` with what editors asked for:
- the history page shows what each version changed, field by field;
- a revert shows what it will change, and one that would change the
  publication status is refused until the editor confirms it;
- deleting saves a last version of everything the delete removes (a tool's
  plans and reviews, a term's links to tools), so recovering brings it all back;
- delete pages name each removed row in words and count links truly.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion.revisions import _follow_relations_recursive

from catalog import history, history_diff

CONFIRM_STATUS = "_confirm_status_change"


class HistoryAdmin(VersionAdmin):
    history_latest_first = True
    object_history_template = "admin/history/object_history.html"
    revision_form_template = "admin/history/revision_form.html"
    recover_form_template = "admin/history/recover_form.html"
    recover_list_template = "admin/history/recover_list.html"
    # The field that decides whether visitors see the object; reverts that change it ask first.
    status_field: str | None = None

    # History with differences.

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.opts
        entries = history_diff.entries(self.model, unquote(object_id))
        for entry in entries:
            entry.url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=(quote(entry.version.object_id), entry.version.pk),
            )
        context = {"entries": entries, **(extra_context or {})}
        # Skip VersionAdmin's own list: the entries above replace it.
        return ModelAdmin.history_view(self, request, object_id, context)

    # Reverting and recovering.

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        current = self.model._default_manager.filter(pk=unquote(object_id)).first()
        context: dict[str, Any] = {}
        if current is not None:
            context["revert_changes"] = self._changes_to(current, version)
            if self.status_field:
                before = getattr(current, self.status_field)
                after = version.field_dict.get(self.status_field)
                if after != before:
                    request._status_before_revert = before  # type: ignore[attr-defined]
                    context["status_change"] = (
                        self._status_label(before),
                        self._status_label(after),
                    )
                    context["confirm_status_name"] = CONFIRM_STATUS
        context.update(extra_context or {})
        return super().revision_view(request, object_id, version_id, context)

    def recover_view(self, request: HttpRequest, version_id: str, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        request._recovering = True  # type: ignore[attr-defined]
        context = {"recovered_rows": self._rows_in(version), **(extra_context or {})}
        return super().recover_view(request, version_id, context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # reversion restores every object in the version's revision; a revision may be
        # the whole demo load, a bulk action or an import, so restore only this object
        # and the rows that belong to it (catalog.history.revert_scoped).
        version.revision.revert = lambda delete=False: history.revert_scoped(version)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def recoverlist_view(self, request: HttpRequest, extra_context=None):
        deleted = (
            Version.objects.get_deleted(self.model)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )
        rows = [
            {"version": v, "identity": self.deleted_identity(v.field_dict)} for v in deleted[:500]
        ]
        return super().recoverlist_view(request, {"rows": rows, **(extra_context or {})})

    def deleted_identity(self, fields: dict[str, Any]) -> str:
        """What tells two deleted rows with the same name apart in the recover list."""
        return str(fields.get("slug") or "")

    def response_change(self, request: HttpRequest, obj: models.Model) -> HttpResponse:
        if getattr(request, "_recovering", False):
            self.message_user(
                request,
                format_html("{} “{}” was recovered.", capfirst(self.opts.verbose_name), obj),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=(quote(obj.pk),),
                )
            )
        return super().response_change(request, obj)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        before = getattr(request, "_status_before_revert", None)
        if before is None or not self.status_field:
            return form
        return _status_guarded(form, self.status_field, before, self._status_label)

    def _status_label(self, value: Any) -> str:
        choices = dict(self.opts.get_field(self.status_field).flatchoices)
        return str(choices.get(value, value or "—"))

    def _changes_to(self, current: models.Model, version: Version) -> list[history_diff.Change]:
        """What restoring `version` would change, the object's followed rows included."""
        now = {
            (type(obj), str(obj.pk)): (obj, history_diff.live_fields(obj))
            for obj in _follow_relations_recursive(current)
        }
        then = {
            (v._model, v.object_id): v
            for v in history.scoped_versions(version)
            if v._model is not None and not v._model._meta.auto_created
        }
        result = history_diff.changes(
            self.model, now[(self.model, str(current.pk))][1], version.field_dict
        )
        for (model, pk), old in then.items():
            if model is self.model and pk == str(current.pk):
                continue
            label = f"{capfirst(model._meta.verbose_name)} “{old.object_repr}”"
            if (model, pk) not in now:
                result.append(history_diff.Change(label, "", "", note="comes back"))
            else:
                result += history_diff.changes(
                    model, now[(model, pk)][1], old.field_dict, prefix=f"{label}: "
                )
        for (model, pk), (obj, _) in now.items():
            if model is not self.model and (model, pk) not in then:
                label = f"{capfirst(model._meta.verbose_name)} “{obj}”"
                result.append(history_diff.Change(label, "", "", note="is removed"))
        return result

    @staticmethod
    def _rows_in(version: Version) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for scoped in history.scoped_versions(version):
            model = scoped._model
            if model is None:
                continue
            counts[_plural_label(model)] += 1
        return sorted(counts.items())

    # Deleting.

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        comment = f"Deleted {self.opts.verbose_name} “{obj}”."
        with transaction.atomic():
            history.save_snapshot(history.deletion_set([obj]), comment=comment, user=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        objects = list(queryset)
        comment = f"Deleted {len(objects)} {self.opts.verbose_name_plural} at once."
        with transaction.atomic():
            history.save_snapshot(history.deletion_set(objects), comment=comment, user=request.user)
            super().delete_queryset(request, queryset)

    def get_deleted_objects(self, objs, request: HttpRequest):
        return readable_deleted_objects(objs, request, self)

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]):
        links = {
            k: v for k, v in dict(context.get("model_count", {})).items() if k.startswith("links")
        }
        context["links_removed"] = sum(links.values())
        return super().render_delete_form(request, context)


def _status_guarded(form: type[forms.ModelForm], field: str, before: Any, label) -> type:
    class StatusGuardedForm(form):  # type: ignore[valid-type,misc]
        def clean(self) -> dict[str, Any]:
            data = super().clean()
            after = data.get(field)
            if after and after != before and not self.data.get(CONFIRM_STATUS):
                self.add_error(
                    field,
                    f"Reverting changes the status from {label(before)} to {label(after)}. "
                    "Tick the box above the form to confirm, or choose the status to keep.",
                )
            return data

    return StatusGuardedForm


def _plural_label(model: type[models.Model]) -> str:
    if model._meta.auto_created:
        relation = _m2m_field(model)
        return f"links ({relation.verbose_name})" if relation else "links"
    return str(model._meta.verbose_name_plural)


def _m2m_field(through: type[models.Model]) -> models.ManyToManyField | None:
    owner = through._meta.auto_created
    for field in owner._meta.many_to_many:
        if field.remote_field.through is through:
            return field
    return None


def readable_deleted_objects(objs, request: HttpRequest, model_admin: ModelAdmin):
    """Django's delete summary, with link rows named in words and counted per relation.

    Link rows (a tool tagged with a term) are auto-created models whose
    default name is "Tool_input_modalities object (90)", and whose counts
    collide under one label; here each reads "“Pika”, input modalities: Image".
    """
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    admin_site = model_admin.admin_site
    collector = NestedObjects(using=router.db_for_write(type(objs[0])), origin=objs)
    collector.collect(objs)
    link_names = _link_names(collector)
    perms_needed: set[str] = set()

    def describe(obj: models.Model) -> str:
        opts = obj._meta
        if opts.auto_created:
            return link_names.get((type(obj), obj.pk), f"Link {obj.pk}")
        if admin_site.is_registered(type(obj)):
            if not admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
                perms_needed.add(str(opts.verbose_name))
            try:
                url = reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=(quote(obj.pk),),
                )
            except NoReverseMatch:
                pass
            else:
                return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)
        return f"{capfirst(opts.verbose_name)}: {obj}"

    to_delete = collector.nested(describe)
    protected = [describe(obj) for obj in collector.protected]
    model_count = Counter()
    for model, instances in collector.model_objs.items():
        model_count[_plural_label(model)] += len(instances)
    return to_delete, dict(model_count), perms_needed, protected


def _link_names(collector: NestedObjects) -> dict[tuple[type, Any], str]:
    """Names for every collected link row, with each side looked up in one query."""
    names: dict[tuple[type, Any], str] = {}
    for through, rows in collector.model_objs.items():
        relation = _m2m_field(through) if through._meta.auto_created else None
        if relation is None:
            continue
        owner_fk = relation.m2m_field_name()
        target_fk = relation.m2m_reverse_field_name()
        owners = relation.model._default_manager.in_bulk(
            {getattr(r, f"{owner_fk}_id") for r in rows}
        )
        targets = relation.related_model._default_manager.in_bulk(
            {getattr(r, f"{target_fk}_id") for r in rows}
        )
        for row in rows:
            owner = owners.get(getattr(row, f"{owner_fk}_id"))
            target = targets.get(getattr(row, f"{target_fk}_id"))
            names[(through, row.pk)] = f"“{owner}”, {relation.verbose_name}: {target}"
    return names

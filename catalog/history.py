"""Version history (django-reversion) for writes outside the admin's change forms.

Models are registered where they are defined (`catalog.models`, `editorial.models`).
The admin's forms save a version by themselves; everything else that writes
(bulk actions, imports, management commands, deletions) goes through
`revision()` and `save_versions()` so every change names who made it and why.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

import reversion
from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models, router, transaction
from django.utils import timezone
from reversion.models import Revision, Version, _safe_revert
from reversion.revisions import _follow_relations_recursive, _get_options


@contextlib.contextmanager
def revision(*, comment: str, user: Any = None) -> Iterator[None]:
    """One transaction and one revision: its versions name `user` and `comment`."""
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None and getattr(user, "is_authenticated", False):
            reversion.set_user(user)
        yield


def save_versions(objects: Iterable[models.Model]) -> int:
    """Add each object as it is now (with what its registration follows) to the open revision."""
    count = 0
    for obj in objects:
        reversion.add_to_revision(obj)
        count += 1
    return count


def save_snapshot(objects: Iterable[models.Model], *, comment: str, user: Any = None) -> Revision:
    """Save a revision of `objects` (and what they follow) right now, as its own revision.

    For deletions: reversion writes an open revision when its block ends and
    keeps only rows that still exist then, which drops everything just deleted
    (and an admin changelist already runs inside a revision block). This
    revision is written before the delete, in the caller's transaction.
    """
    revision = Revision.objects.create(
        date_created=timezone.now(),
        user=user if getattr(user, "is_authenticated", False) else None,
        comment=comment,
    )
    versions: dict[tuple[int, str], Version] = {}
    for root in objects:
        for obj in _follow_relations_recursive(root):
            options = _get_options(type(obj))
            content_type = ContentType.objects.get_for_model(type(obj))
            key = (content_type.pk, str(obj.pk))
            if key in versions:
                continue
            versions[key] = Version(
                revision=revision,
                object_id=str(obj.pk),
                content_type=content_type,
                db=router.db_for_write(type(obj)),
                format=options.format,
                serialized_data=serializers.serialize(options.format, [obj], fields=options.fields),
                object_repr=str(obj),
            )
    Version.objects.bulk_create(versions.values())
    return revision


def dependents(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """(model, fk attname) for every versioned model whose rows are deleted with a `model` row."""
    found = []
    for related in reversion.get_registered_models():
        for field in related._meta.concrete_fields:
            if (
                field.many_to_one
                and field.related_model is model
                and field.remote_field.on_delete is models.CASCADE
            ):
                found.append((related, field.attname))
    return found


def scoped_versions(version: Version) -> list[Version]:
    """The versions a restore of `version` may write: its object and the rows that belong
    to it (plans, reviews, reports, link rows: rows deleted with it).

    A revision can hold many unrelated objects (the demo load, a bulk action, an
    import); restoring one tool from it must never restore the others.
    """
    model, object_id = version._model, version.object_id
    scoped = [version]
    for related, attname in dependents(model):
        content_type = ContentType.objects.get_for_model(related)
        candidates = version.revision.version_set.filter(content_type=content_type).filter(
            models.Q(serialized_data__contains=f'"{attname.removesuffix("_id")}": {object_id},')
            | models.Q(serialized_data__contains=f'"{attname.removesuffix("_id")}": {object_id}}}')
        )
        scoped += [v for v in candidates if str(v.field_dict.get(attname)) == str(object_id)]
    return scoped


def revert_scoped(version: Version) -> None:
    """Restore one object and its own rows from `version`'s revision, nothing else.

    Rows its registration follows (a tool's plans) that exist now but not in
    that version (a plan added since) are deleted, as a whole-revision restore
    would; other dependents (reviews, reports, links) are only ever restored.
    """
    versions = scoped_versions(version)
    kept = {(v.content_type_id, v.object_id) for v in versions}
    current = version._model._default_manager.filter(pk=version.object_id).first()
    if current is not None:
        for name in _get_options(version._model).follow:
            for row in getattr(current, name).all():
                content_type = ContentType.objects.get_for_model(type(row))
                if (content_type.pk, str(row.pk)) not in kept:
                    row.delete()
    _safe_revert(versions)


def deletion_set(objects: Iterable[models.Model]) -> list[models.Model]:
    """What deleting `objects` removes that history can bring back.

    The objects themselves and every registered row the delete cascades to
    (a tool's plans and reviews, a term's links to tools). A link row to a tool
    that is itself deleted is left out: that tool's own version lists its links.
    """
    objects = list(objects)
    if not objects:
        return []
    collector = NestedObjects(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    deleted = {(type(obj), obj.pk) for obj in collector.model_objs.get(_tool_model(), ())}
    kept: list[models.Model] = []
    for model, instances in collector.model_objs.items():
        if not reversion.is_registered(model):
            continue
        for obj in instances:
            if model._meta.auto_created and (_tool_model(), obj.tool_id) in deleted:
                continue
            kept.append(obj)
    return kept


def save_missing_versions(model_list: Iterable[type[models.Model]]) -> int:
    """Save a version of every row whose latest version differs from it, or that has none.

    For loaders that write with raw saves (no signals): after them, every row
    can still be recovered if it is deleted, and running the loader again
    without changes records nothing.
    """
    count = 0
    for model in model_list:
        if model._meta.auto_created:
            continue  # link rows: the owning row's version lists its links
        latest = _latest_serialized(model)
        # Prefetch what a version serializes: its links and the rows it follows.
        related = [f.name for f in model._meta.local_many_to_many]
        related += list(_get_options(model).follow)
        rows = model._default_manager.prefetch_related(*related)
        for obj in rows:
            if latest.get(str(obj.pk)) != _fields(obj):
                reversion.add_to_revision(obj)
                count += 1
    return count


def _latest_serialized(model: type[models.Model]) -> dict[str, dict]:
    versions = Version.objects.get_for_model(model).order_by("object_id", "-pk")
    latest: dict[str, dict] = {}
    for object_id, data in versions.values_list("object_id", "serialized_data"):
        if object_id not in latest:
            latest[object_id] = json.loads(data)[0]["fields"]
    return latest


def _fields(obj: models.Model) -> dict:
    options = _get_options(type(obj))
    data = serializers.serialize("json", [obj], fields=options.fields)
    return json.loads(data)[0]["fields"]


def _tool_model() -> type[models.Model]:
    return apps.get_model("catalog", "Tool")

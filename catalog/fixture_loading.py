"""Load fixture files so that loading them again changes nothing.

`loaddata` rewrites every row it reads, so timestamps the fixtures leave out
(a tool's `created` and `updated`) would be set anew on every run and a
derived column (`last_checked`, `review_score`) would be reset. Here each
object is matched by natural key, compared field by field with what the
database holds, and saved only when a fact in the fixture differs. Columns the
fixture does not mention keep their database values; a new row gets its
model's defaults, so a demo entry is dated when it was first loaded, never
with a made-up date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.serializers.base import DeserializedObject
from django.db import models, transaction
from django.utils import timezone


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_models: set[type[models.Model]] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def load_fixtures(paths: Sequence[Path]) -> LoadReport:
    """Load `paths` in order, in one transaction; report what was new, changed or the same."""
    report = LoadReport()
    with transaction.atomic():
        deferred: list[DeserializedObject] = []
        for path in paths:
            entries = json.loads(path.read_text(encoding="utf-8"))
            objects = serializers.deserialize("python", entries, handle_forward_references=True)
            for entry, item in zip(entries, objects, strict=True):
                outcome = _save_if_changed(item, given=set(entry["fields"]))
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome != "unchanged":
                    report.changed_models.add(type(item.object))
                if item.deferred_fields:
                    deferred.append(item)
        for item in deferred:
            item.save_deferred_fields()
    return report


def _save_if_changed(item: DeserializedObject, *, given: set[str]) -> str:
    obj = item.object
    model = type(obj)
    existing = model._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    if existing is None:
        item.save()
        return "created"
    names = {f.name for f in _stored_fields(model)}
    for name in names - given:
        # Not in the fixture: keep what the database has (timestamps, derived columns).
        field_ = model._meta.get_field(name)
        setattr(obj, field_.attname, getattr(existing, field_.attname))
    if _same(existing, obj, item.m2m_data or {}, fields=given & names):
        return "unchanged"
    if "updated" in names - given:
        obj.updated = timezone.now()
    item.save()
    return "updated"


def _stored_fields(model: type[models.Model]) -> Iterable[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _same(
    existing: models.Model, new: models.Model, m2m: dict[str, list[Any]], *, fields: set[str]
) -> bool:
    for name in fields:
        field_ = existing._meta.get_field(name)
        if field_.value_from_object(existing) != field_.value_from_object(new):
            return False
    for name, pks in m2m.items():
        current = getattr(existing, name).values_list("pk", flat=True)
        if set(current) != set(pks):
            return False
    return True

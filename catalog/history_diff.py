"""Field-by-field differences between saved versions, in words an editor reads.

`entries()` builds an object's history (each version against the one before,
rows its registration follows, such as a tool's plans, included); `changes()`
compares any two field dicts, such as the current row and a version about to
be restored. Related names are looked up in one query per related model.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.text import capfirst
from reversion.models import Version
from reversion.revisions import _get_options

from catalog import history

# Bookkeeping columns that change on every save and say nothing to an editor.
IGNORED = {"created", "updated"}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    # For relations with many values: `before` lists what was removed, `after` what was added.
    is_set: bool = False
    # For a followed row (a tool's plan) that appeared or went: "added" or "removed".
    note: str = ""


@dataclass
class Entry:
    version: Version
    changes: list[Change] = field(default_factory=list)
    first: bool = False
    url: str = ""


def live_fields(obj: models.Model) -> dict[str, Any]:
    """The same dict `Version.field_dict` gives, read from the row as it is now."""
    options = _get_options(type(obj))
    data: dict[str, Any] = {}
    for name in options.fields:
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            data[model_field.attname] = [o.pk for o in getattr(obj, name).all()]
        else:
            data[model_field.attname] = getattr(obj, model_field.attname)
    return data


def changes(
    model: type[models.Model], before: dict[str, Any], after: dict[str, Any], *, prefix: str = ""
) -> list[Change]:
    """What differs between two field dicts of `model`, with names for ids and choices."""
    return _Namer().resolve(_raw_changes(model, before, after, prefix=prefix))


def entries(model: type[models.Model], object_id: str) -> list[Entry]:
    """Every version of one object, newest first, each with what it changed."""
    own = list(
        Version.objects.get_for_object_reference(model, object_id)
        .select_related("revision__user")
        .order_by("pk")
    )
    # Rows that belong to the object (plans...), from each revision; never the
    # unrelated objects a revision may also hold (a bulk action, the demo load).
    followed: dict[int, list[Version]] = defaultdict(list)
    for version in own:
        followed[version.revision_id] = history.scoped_versions(version)[1:]
    result: list[Entry] = []
    pending: list[tuple[Entry, list[tuple]]] = []
    previous: dict[str, Any] | None = None
    previous_related: dict[tuple[int, str], Version] = {}
    for version in own:
        entry = Entry(version=version, first=previous is None)
        raw: list[tuple] = []
        if previous is not None:
            raw += _raw_changes(model, previous, version.field_dict)
        current_related = {
            (v.content_type_id, v.object_id): v for v in followed[version.revision_id]
        }
        if previous is not None and current_related:
            raw += _related_changes(previous_related, current_related)
        if current_related or previous is None:
            previous_related = current_related
        previous = version.field_dict
        pending.append((entry, raw))
        result.append(entry)
    namer = _Namer()
    resolved = namer.resolve([item for _, raw in pending for item in raw])
    position = 0
    for entry, raw in pending:
        entry.changes = resolved[position : position + len(raw)]
        position += len(raw)
    return list(reversed(result))


def _related_changes(
    before: dict[tuple[int, str], Version], after: dict[tuple[int, str], Version]
) -> list[tuple]:
    raw: list[tuple] = []
    for key, version in after.items():
        model = version._model
        if model is None or model._meta.auto_created:
            continue
        name = f"{capfirst(model._meta.verbose_name)} “{version.object_repr}”"
        old = before.get(key)
        if old is None:
            raw.append((None, name, None, "added", False))
        else:
            raw += _raw_changes(model, old.field_dict, version.field_dict, prefix=f"{name}: ")
    for key, version in before.items():
        model = version._model
        if key not in after and model is not None and not model._meta.auto_created:
            name = f"{capfirst(model._meta.verbose_name)} “{version.object_repr}”"
            raw.append((None, name, None, "removed", False))
    return raw


def _raw_changes(
    model: type[models.Model], before: dict[str, Any], after: dict[str, Any], *, prefix: str = ""
) -> list[tuple]:
    """(field, label, before, after, is_set) for each differing field, values still raw."""
    raw: list[tuple] = []
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        key = model_field.attname
        if model_field.name in IGNORED or model_field.primary_key or key not in after:
            continue
        old, new = before.get(key), after.get(key)
        label = prefix + capfirst(str(model_field.verbose_name))
        if model_field.many_to_many:
            removed = sorted(set(old or []) - set(new or []), key=str)
            added = sorted(set(new or []) - set(old or []), key=str)
            if removed or added:
                raw.append((model_field, label, removed, added, True))
        elif _comparable(old) != _comparable(new):
            raw.append((model_field, label, old, new, False))
    return raw


def _comparable(value: Any) -> Any:
    return "" if value is None else str(value)


class _Namer:
    """Turns raw values into words, looking related rows up in bulk."""

    def resolve(self, raw: list[tuple]) -> list[Change]:
        wanted: dict[type[models.Model], set] = defaultdict(set)
        for model_field, _, old, new, is_set in raw:
            if model_field is not None and model_field.is_relation:
                values = [*old, *new] if is_set else [old, new]
                wanted[model_field.related_model].update(v for v in values if v is not None)
        names = {
            related: {pk: str(obj) for pk, obj in related._default_manager.in_bulk(pks).items()}
            for related, pks in wanted.items()
        }
        result = []
        for model_field, label, old, new, is_set in raw:
            if model_field is None:  # a followed row added or removed
                result.append(Change(label, "", "", note=new))
            elif is_set:
                known = names.get(model_field.related_model, {})
                result.append(
                    Change(
                        label,
                        ", ".join(known.get(v, f"#{v} (deleted)") for v in old),
                        ", ".join(known.get(v, f"#{v} (deleted)") for v in new),
                        is_set=True,
                    )
                )
            else:
                before, after = (self._word(model_field, v, names) for v in (old, new))
                result.append(Change(label, before, after))
        return result

    @staticmethod
    def _word(model_field: models.Field, value: Any, names: dict) -> str:
        if value is None or value == "":
            return EMPTY
        if model_field.is_relation:
            return names.get(model_field.related_model, {}).get(value, f"#{value} (deleted)")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)

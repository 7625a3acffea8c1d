"""The catalogue version stamp: read once per request, bumped on every change.

The bump runs inside the writing transaction (not on_commit) on purpose:
readers see the new stamp exactly when they can see the new data, and a
rolled-back write leaves the old stamp in place.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from catalog import models


@dataclass(frozen=True)
class Version:
    stamp: str
    changed_at: datetime.datetime


_request_version: ContextVar[Version | None] = ContextVar("catalogue_version", default=None)


@contextlib.contextmanager
def request_version(version: Version) -> Iterator[None]:
    """Let everything inside one request reuse the version read at its start."""
    token = _request_version.set(version)
    try:
        yield
    finally:
        _request_version.reset(token)


def current_version() -> Version:
    """One query (none inside `request_version`); creates the row on first use."""
    pinned = _request_version.get()
    if pinned is not None:
        return pinned
    row = models.CatalogueVersion.objects.filter(pk=1).values_list("stamp", "changed_at").first()
    return Version(*row) if row else _new_version()


# Set inside `batch()`: bumps are noted there and made once when the batch ends.
_batch: ContextVar[list[bool] | None] = ContextVar("catalogue_version_batch", default=None)


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Many writes, one bump: an import of a thousand rows moves the version once."""
    if _batch.get() is not None:
        yield  # already batching: the outer batch bumps
        return
    changed: list[bool] = []
    token = _batch.set(changed)
    try:
        yield
    finally:
        _batch.reset(token)
    if changed:
        _new_version()


def bump(**signal_kwargs: object) -> Version | None:
    if signal_kwargs.get("raw"):
        return None  # loaddata: the loading command bumps once at the end
    if str(signal_kwargs.get("action", "post_")).startswith("pre_"):
        return None  # m2m_changed fires twice per change; the post_ half is enough
    pending = _batch.get()
    if pending is not None:
        pending.append(True)
        return None
    return _new_version()


def _new_version() -> Version:
    version = Version(uuid.uuid4().hex, timezone.now())
    updated = models.CatalogueVersion.objects.filter(pk=1).update(
        stamp=version.stamp, changed_at=version.changed_at
    )
    if not updated:
        models.CatalogueVersion.objects.update_or_create(
            pk=1, defaults={"stamp": version.stamp, "changed_at": version.changed_at}
        )
    return version


WATCHED = [
    models.Tool,
    models.PricingPlan,
    models.Vendor,
    models.AIModel,
    models.Modality,
    models.ModelFamily,
    models.UseCase,
    models.Platform,
    models.Interaction,
    models.Verification,  # tool pages show the provenance trail
]
WATCHED_M2M = [
    models.Tool.input_modalities.through,
    models.Tool.output_modalities.through,
    models.Tool.families.through,
    models.Tool.ai_models.through,
    models.Tool.use_cases.through,
    models.Tool.platforms.through,
    models.Tool.interactions.through,
]


def connect() -> None:
    for model in WATCHED:
        post_save.connect(bump, sender=model, dispatch_uid=f"version-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"version-delete-{model.__name__}")
    for through in WATCHED_M2M:
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"version-m2m-{through.__name__}")

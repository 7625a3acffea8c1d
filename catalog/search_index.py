"""The stored search document: `Tool.search_vector`, kept current from Django.

A tool's weighted document is name (A), pitch and vendor name (B), description
(C), use case and AI model names (D). It lives in one tsvector column with a GIN
index (migration 0006), so a search reads the index instead of building every
tool's document from three tables on every request.

`refresh_search_vectors(tool_ids)` rewrites the column for some tools (or all)
with one UPDATE whose expression reads the tool's own columns plus subqueries
for the vendor, use case and AI model names. Signals call it whenever any of
those change: a tool saved (raw saves included: a django-reversion revert is
one), its use cases or AI models changed (either side of the relation), a
vendor, use case or AI model renamed or deleted. Raw saves of vendors, use
cases and AI models (loaddata) are skipped; `load_demo_catalogue` and the
benchmark generator (COPY, no signals) refresh everything once at the end.
Queryset `update()`/`bulk_create()` send no signals: call the function after them.

Only PostgreSQL has the column's type; elsewhere everything here does nothing
and search uses its portable version.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router
from django.db.models import OuterRef, QuerySet, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from catalog.models import AIModel, Tool, UseCase, Vendor

SEARCH_CONFIG = "english"
# Fields of Tool that feed the document; a save touching none of them leaves it alone.
DOCUMENT_FIELDS = frozenset({"name", "pitch", "description", "vendor", "vendor_id"})


def document():
    """The weighted tsvector of one tool, as an expression over its row and relations."""
    from django.contrib.postgres.search import SearchVector

    vendor_name = Subquery(Vendor.objects.filter(pk=OuterRef("vendor_id")).values("name")[:1])
    return (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector(
            "pitch",
            Coalesce(vendor_name, Value(""), output_field=TextField()),
            weight="B",
            config=SEARCH_CONFIG,
        )
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
        + SearchVector(
            _names("use_cases", "usecase"),
            _names("ai_models", "aimodel"),
            weight="D",
            config=SEARCH_CONFIG,
        )
    )


def refresh_search_vectors(
    tool_ids: Iterable[int] | QuerySet | None = None, *, using: str | None = None
) -> int:
    """Recompute the stored document of these tools (all tools when None); one UPDATE.

    `tool_ids` may be a queryset of ids (`values("pk")`), used as a subquery.
    Returns the number of rows updated; 0 on databases without tsvector.
    """
    using = using or router.db_for_write(Tool)
    if connections[using].vendor != "postgresql":
        return 0
    tools = Tool.objects.using(using)
    if tool_ids is not None:
        if not isinstance(tool_ids, QuerySet):
            tool_ids = {i for i in tool_ids if i is not None}
            if not tool_ids:
                return 0
        tools = tools.filter(pk__in=tool_ids)
    return tools.order_by().update(search_vector=document())


def _names(relation: str, target: str) -> Coalesce:
    """Space-joined names of a tool's related rows, as one correlated subquery."""
    through = getattr(Tool, relation).through
    names = (
        through.objects.filter(tool_id=OuterRef("pk"))
        .values("tool_id")
        .annotate(names=StringAgg(f"{target}__name", delimiter=Value(" ")))
        .values("names")
    )
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


# --- Signals ---------------------------------------------------------------------------


def _on_postgres(using: str | None) -> bool:
    return connections[using or "default"].vendor == "postgresql"


def tool_saved(sender, instance: Tool, using=None, update_fields=None, **kw):
    # Raw saves too: django-reversion reverts a tool with one, restoring whatever
    # document the stored version happened to hold. (loaddata pays one UPDATE a tool.)
    if not _on_postgres(using):
        return
    if update_fields is not None and not DOCUMENT_FIELDS.intersection(update_fields):
        return  # e.g. editorial writing review_score: the document did not change
    refresh_search_vectors([instance.pk], using=using)


def relation_changed(sender, instance, action: str, reverse: bool, pk_set, using=None, **kw):
    """Tool.use_cases / Tool.ai_models changed from either side."""
    if not _on_postgres(using):
        return
    if not reverse:
        if action.startswith("post_"):
            refresh_search_vectors([instance.pk], using=using)
        return
    # Reverse side (use_case.tools.add(...)): the changed tools are in pk_set, except
    # for clear(), which names none; remember who was linked before it runs.
    if action == "pre_clear":
        instance._search_cleared_tool_ids = list(
            sender.objects.using(using)
            .filter(**{_target_column(sender): instance.pk})
            .values_list("tool_id", flat=True)
        )
    elif action == "post_clear":
        refresh_search_vectors(instance.__dict__.pop("_search_cleared_tool_ids", []), using=using)
    elif action in ("post_add", "post_remove"):
        refresh_search_vectors(pk_set or [], using=using)


def _target_column(through) -> str:
    return next(
        f.attname for f in through._meta.concrete_fields if f.is_relation and f.name != "tool"
    )


def name_about_to_change(sender, instance, raw: bool = False, using=None, **kw):
    """Remember a vendor's, use case's or AI model's stored name before it is saved."""
    if raw or instance.pk is None or not _on_postgres(using):
        return
    instance._search_old_name = (
        sender.objects.using(using).filter(pk=instance.pk).values_list("name", flat=True).first()
    )


def name_saved(sender, instance, raw: bool = False, created: bool = False, using=None, **kw):
    """A renamed vendor, use case or AI model: refresh the documents of its tools."""
    if raw or created or not _on_postgres(using):
        return
    old = instance.__dict__.pop("_search_old_name", None)
    if old == instance.name:
        return
    refresh_search_vectors(_tools_of(sender, instance.pk, using), using=using)


def linked_about_to_go(sender, instance, using=None, **kw):
    """A deleted use case or AI model takes its link rows with it, without m2m signals."""
    if not _on_postgres(using):
        return
    instance._search_deleted_tool_ids = list(
        _tools_of(sender, instance.pk, using).values_list("pk", flat=True)
    )


def linked_gone(sender, instance, using=None, **kw):
    if not _on_postgres(using):
        return
    refresh_search_vectors(instance.__dict__.pop("_search_deleted_tool_ids", []), using=using)


def _tools_of(model, pk: int, using: str | None) -> QuerySet:
    lookup = {Vendor: "vendor", UseCase: "use_cases", AIModel: "ai_models"}[model]
    return Tool.objects.using(using).filter(**{lookup: pk}).values("pk")


def connect() -> None:
    post_save.connect(tool_saved, sender=Tool, dispatch_uid="search-tool-save")
    for relation in (Tool.use_cases, Tool.ai_models):
        through = relation.through
        m2m_changed.connect(
            relation_changed, sender=through, dispatch_uid=f"search-m2m-{through.__name__}"
        )
    for model in (Vendor, UseCase, AIModel):
        uid = model.__name__
        pre_save.connect(name_about_to_change, sender=model, dispatch_uid=f"search-pre-{uid}")
        post_save.connect(name_saved, sender=model, dispatch_uid=f"search-save-{uid}")
    for model in (UseCase, AIModel):
        uid = model.__name__
        pre_delete.connect(linked_about_to_go, sender=model, dispatch_uid=f"search-pdel-{uid}")
        post_delete.connect(linked_gone, sender=model, dispatch_uid=f"search-del-{uid}")

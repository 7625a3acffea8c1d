"""Generate a synthetic catalogue of N tools into the PostgreSQL database of DATABASE_URL.

    python -m bench.generate --n 100000 --seed 1      # reuse, or (re)generate
    python -m bench.generate --ensure-database        # create the database if missing

Safety: it refuses a database holding any tool, vendor or AI model it did not make
(every generated slug starts with "bench-"), so it cannot wipe real data. A table
`bench_meta(n, seed, generator)` records what was generated; the same N, seed and
generator version is reused as it is, anything else is truncated (tools, vendors,
AI models, plans, the tool relations and, by CASCADE, whatever references tools)
and regenerated in one transaction, then ANALYZEd.

Shapes: the real taxonomy (fixtures/taxonomy.json); per tool 1-3 inputs, 1-3 outputs,
1-4 use cases, 1-2 families, 0-2 AI models, 0-5 platforms, 1-3 ways of working, each
drawn with Zipf-like popularity (the vocabulary's first entries are common, the last
rare); mostly published; plans for most tools; skewed vendor sizes. Search terms of
known frequency are planted in the text (`SEARCH_TERMS`).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import random
import sys
import time
from bisect import bisect
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 1
SLUG_PREFIX = "bench-"
META_TABLE = "bench_meta"
CHUNK = 20_000
ROOT = Path(__file__).resolve().parent.parent
TAXONOMY_FIXTURE = ROOT / "fixtures" / "taxonomy.json"

# Planted search terms: each rare word is in ~0.1% of names, each common word in
# ~10% of descriptions, each very common word in ~60% of pitches or descriptions.
RARE_WORDS = ["quokka", "narwhal", "axolotl", "pangolin", "okapi"]
COMMON_WORDS = ["storyboard", "podcast", "spreadsheet", "newsletter", "subtitles"]
VERY_COMMON_WORDS = ["assistant", "effortless"]
SEARCH_TERMS = {"rare": RARE_WORDS, "common": COMMON_WORDS, "very common": VERY_COMMON_WORDS}
RARE_RATE, COMMON_RATE, VERY_COMMON_RATE = 0.001, 0.10, 0.60


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


NAME_FIRST = _words(
    "Nova Pixel Lumen Echo Quill Vivid Astra Cobalt Ember Flux Halo Iris Juno Kite Lyra Maple "
    "Nimbus Onyx Prism Quasar Rune Sable Tidal Umbra Vega Willow Xeno Yonder Zephyr Aurora Brisk "
    "Cinder Delta Fable Glint Harbor Indigo Jasper Krypton Lattice Mosaic Neon Orbit Pulse Quartz "
    "Radiant Sonic Terra Ultra Velvet Wave Amber Beacon Comet Dune Falcon Garnet Hydra Ion Jet "
    "Kinetic Lunar Meteor Nectar Opal Polar Ripple Solar Titan Vertex Whisper Atlas Blaze Cipher"
)
NAME_SECOND = _words(
    "Writer Studio Forge Lab Pilot Mind Craft Works Flow Sense Muse Canvas Voice Scribe Vision "
    "Coder Genie Spark Engine Hub Desk Loop Box Stack Cast Frame Tone Mint Shift Base Wise Bot "
    "Sketch Beat Lens Draft Palette Script Reel Mix"
)
ADJECTIVES = _words(
    "fast friendly private accurate playful flexible focused reliable creative lightweight "
    "collaborative multilingual open affordable precise"
)
PITCH_NOUNS = _words("tool app service engine platform companion toolkit helper")
AUDIENCES = _words(
    sep=",",
    text="writers,marketers,developers,designers,teachers,students,researchers,streamers,"
    "small businesses,support teams,analysts,musicians,filmmakers,agencies",
)
VERBS = _words("drafts polishes generates edits summarises translates analyses designs composes")
FILLERS = [
    "It keeps a history of every version.",
    "Teams share workspaces and templates.",
    "Exports go to the formats people already use.",
    "A style guide keeps results on brand.",
    "It runs in the browser with nothing to install.",
    "Results can be refined with follow-up instructions.",
    "Usage limits reset every month.",
    "Keyboard shortcuts cover every action.",
    "It remembers preferences between sessions.",
    "Batch mode processes whole folders at once.",
]
COMMON_SENTENCES = {
    "storyboard": "Turns a rough idea into a storyboard in minutes.",
    "podcast": "Handy for podcast notes and show scripts.",
    "spreadsheet": "Reads and writes spreadsheet files directly.",
    "newsletter": "Drafts the weekly newsletter from your notes.",
    "subtitles": "Adds subtitles in dozens of languages.",
}
VERY_COMMON_SENTENCE = "Setup is effortless and the defaults are sensible."
OUTPUT_HEAD = ["text", "image", "video", "audio", "code", "speech", "data", "document", "3d"]
LICENCES = ["MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0-only", "BSD-3-Clause"]
PRICES = [5, 8, 9, 10, 12, 15, 19, 20, 25, 29, 30, 39, 49, 59, 79, 99, 149, 199]


class BenchError(Exception):
    """The generator refuses or cannot work with this database."""


class Zipf:
    """Draw items with Zipf-like weights 1/rank**s: the first items common, the last rare."""

    def __init__(self, items: Sequence[Any], s: float = 1.0) -> None:
        if not items:
            raise BenchError("an empty vocabulary; is the taxonomy loaded?")
        self.items = list(items)
        self.cum = list(accumulate(1 / (rank + 1) ** s for rank in range(len(items))))

    def one(self, rng: random.Random) -> Any:
        index = bisect(self.cum, rng.random() * self.cum[-1])
        return self.items[min(index, len(self.items) - 1)]

    def some(self, rng: random.Random, k: int) -> list[Any]:
        k = min(k, len(self.items))
        chosen: list[Any] = []
        while len(chosen) < k:
            item = self.one(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


def _weighted(choices: dict[Any, float]) -> Callable[[random.Random], Any]:
    values, cum = list(choices), list(accumulate(choices.values()))

    def draw(rng: random.Random) -> Any:
        return values[min(bisect(cum, rng.random() * cum[-1]), len(values) - 1)]

    return draw


N_INPUTS = _weighted({1: 60, 2: 30, 3: 10})
N_OUTPUTS = _weighted({1: 65, 2: 27, 3: 8})
N_USES = _weighted({1: 40, 2: 30, 3: 20, 4: 10})
N_FAMILIES = _weighted({1: 80, 2: 20})
N_MODELS = _weighted({0: 30, 1: 50, 2: 20})
N_PLATFORMS = _weighted({0: 8, 1: 25, 2: 25, 3: 20, 4: 13, 5: 9})
N_WORK = _weighted({1: 55, 2: 35, 3: 10})
STATUS = _weighted({"published": 92, "discontinued": 4, "draft": 4})
PRICING = _weighted(
    {
        "freemium": 35,
        "subscription": 20,
        "usage": 12,
        "free": 10,
        "self_hosted": 10,
        "contact": 8,
        "one_time": 5,
    }
)
COMMERCIAL = _weighted({"allowed": 50, "conditional": 20, "not_allowed": 10, "unclear": 20})
LICENCE = _weighted({"proprietary": 85, "open_weights": 5, "unclear": 10})
OWNERSHIP = _weighted({"user": 55, "vendor": 5, "none": 5, "varies": 10, "unclear": 25})
INDEMNITY = _weighted({"yes": 5, "paid_plans": 15, "no": 40, "unclear": 40})
TRAINING = _weighted({"no": 30, "opt_out": 30, "yes": 10, "varies": 10, "unclear": 20})


# --- Writing rows with COPY -------------------------------------------------------------


class Table:
    """COPY rows into a model's table; columns the generator does not know get their defaults.

    New fields added to a model later keep working as long as they have a default or
    allow NULL (or a database default, which COPY then leaves to PostgreSQL).
    """

    def __init__(self, model, connection, *, with_pk: bool = True) -> None:
        from django.db.models import NOT_PROVIDED

        fields = [
            f
            for f in model._meta.concrete_fields
            if not getattr(f, "generated", False)
            and getattr(f, "db_default", NOT_PROVIDED) is NOT_PROVIDED
            and (with_pk or not f.primary_key)
        ]
        self.table = model._meta.db_table
        self.model = model
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = {f.attname: self._default(f, connection) for f in fields}

    def _default(self, field, connection) -> Any:
        if field.primary_key:
            return None
        if field.has_default():
            return field.get_db_prep_save(field.get_default(), connection)
        if field.null:
            return None
        if field.get_internal_type() in ("CharField", "TextField", "SlugField", "URLField"):
            return ""
        return _Missing(f"{self.model.__name__}.{field.name}")

    def row(self, values: dict[str, Any]) -> tuple:
        out = []
        for name in self.attnames:
            value = values[name] if name in values else self.defaults[name]
            if isinstance(value, _Missing):
                raise BenchError(f"bench/generate.py does not know how to fill {value.name}")
            out.append(value)
        return tuple(out)

    def copy(self, cursor, rows: Iterable[tuple]) -> None:
        copy_rows(cursor, self.table, self.columns, rows)


class _Missing:
    def __init__(self, name: str) -> None:
        self.name = name


def copy_rows(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, total: int, label: str, *, quiet: bool = False) -> None:
        self.total, self.label, self.quiet = total, label, quiet
        self.start = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.last_decile = -1

    def update(self, done: int) -> None:
        if self.quiet:
            return
        fraction = done / self.total if self.total else 1.0
        elapsed = time.monotonic() - self.start
        bar = "#" * int(fraction * 30)
        line = f"{self.label} {done:>9,}/{self.total:,} [{bar:<30}] {fraction:4.0%} {elapsed:5.1f}s"
        if self.tty:
            print("\r" + line, end="" if done < self.total else "\n", file=sys.stderr, flush=True)
        elif int(fraction * 10) != self.last_decile:
            self.last_decile = int(fraction * 10)
            print(line, file=sys.stderr, flush=True)


# --- The catalogue ---------------------------------------------------------------------


def _tool_relations() -> dict[str, tuple[str, str, str]]:
    """Tool relation -> (through table, tool column, target column)."""
    from catalog.models import Tool

    out = {}
    for name in (
        "input_modalities",
        "output_modalities",
        "use_cases",
        "families",
        "ai_models",
        "platforms",
        "interactions",
    ):
        field = Tool._meta.get_field(name)
        out[name] = (
            field.remote_field.through._meta.db_table,
            field.m2m_column_name(),
            field.m2m_reverse_name(),
        )
    return out


def _ids(model) -> list[int]:
    """A vocabulary's ids in its display order, so the first entries are the popular ones."""
    return list(model.objects.order_by("position", "name").values_list("pk", flat=True))


def _pitch(rng: random.Random) -> str:
    noun = "assistant" if rng.random() < VERY_COMMON_RATE else rng.choice(PITCH_NOUNS)
    adjective = rng.choice(ADJECTIVES)
    article = "An" if adjective[0] in "aeiou" else "A"
    return f"{article} {adjective} AI {noun} for {rng.choice(AUDIENCES)}."


def _description(rng: random.Random, name: str, inputs: str, outputs: str) -> str:
    sentences = [f"{name} {rng.choice(VERBS)} {outputs} from {inputs}."]
    if rng.random() < VERY_COMMON_RATE:
        sentences.append(VERY_COMMON_SENTENCE)
    for word in COMMON_WORDS:
        if rng.random() < COMMON_RATE:
            sentences.append(COMMON_SENTENCES[word])
    sentences.extend(rng.sample(FILLERS, rng.randint(1, 3)))
    return " ".join(sentences)


def _plans(rng: random.Random, pricing: str) -> list[tuple[str, Decimal | None, str, str]]:
    """(name, price, period, unit) for each plan, cheapest first."""
    price = Decimal(rng.choice(PRICES))
    if pricing == "free":
        return [("Free", Decimal(0), "", "")]
    if pricing == "freemium":
        plans = [("Free", Decimal(0), "", ""), ("Pro", price, "month", "per user")]
        if rng.random() < 0.5:
            plans.append(("Team", price * 2, "month", "per user"))
        return plans
    if pricing == "subscription":
        plans = [("Pro", price, "month", "per user"), ("Team", price * 3, "month", "per user")]
        if rng.random() < 0.4:
            plans.append(("Enterprise", None, "", ""))
        return plans
    if pricing == "usage":
        return [("Pay as you go", Decimal("0.02") * rng.randint(1, 50), "usage", "per 1K requests")]
    if pricing == "self_hosted":
        plans = [("Self-hosted", Decimal(0), "", "")]
        if rng.random() < 0.5:
            plans.append(("Cloud", price, "month", ""))
        return plans
    if pricing == "one_time":
        return [("Licence", price * 3, "one_time", "per seat")]
    return [("Enterprise", None, "", "")]


def _write_catalogue(cursor, n: int, seed: int, *, quiet: bool) -> None:
    from django.db import connection
    from django.utils import timezone

    from catalog.models import (
        AIModel,
        Interaction,
        Modality,
        ModelFamily,
        Platform,
        PricingPlan,
        Tool,
        UseCase,
        Vendor,
    )

    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    today = now.date()
    modalities = list(
        Modality.objects.order_by("position", "name").values_list("pk", "slug", "name")
    )
    modality_names = {pk: name for pk, _, name in modalities}
    inputs = Zipf([pk for pk, _, _ in modalities], 1.0)
    # What tools make has another head than what they take: images and video come early.
    head = {slug: rank for rank, slug in enumerate(OUTPUT_HEAD)}
    outputs = Zipf(
        [pk for pk, slug, _ in sorted(modalities, key=lambda m: head.get(m[1], len(head)))], 1.0
    )
    uses = Zipf(_ids(UseCase), 1.0)
    families_ids = _ids(ModelFamily)
    families = Zipf(families_ids, 1.2)
    platforms = Zipf(_ids(Platform), 1.3)
    work = Zipf(_ids(Interaction), 1.0)

    # Vendors: a few big ones and a long tail of one-tool vendors.
    n_vendors = max(5, n // 8)
    vendors = Table(Vendor, connection)
    vendors.copy(
        cursor,
        (
            vendors.row(
                {
                    "id": v,
                    "name": f"{rng.choice(NAME_FIRST)} Labs {v}",
                    "slug": f"{SLUG_PREFIX}vendor-{v}",
                    "website": f"https://vendor-{v}.example.com/",
                    "description": "A synthetic vendor made by the benchmark.",
                }
            )
            for v in range(1, n_vendors + 1)
        ),
    )
    n_models = min(400, max(10, n // 250))
    models = Table(AIModel, connection)
    models.copy(
        cursor,
        (
            models.row(
                {
                    "id": m,
                    "name": f"{rng.choice(NAME_FIRST)}-{m}",
                    "slug": f"{SLUG_PREFIX}model-{m}",
                    "family_id": families.one(rng),
                    "developer_id": rng.randint(1, min(n_vendors, 50)),
                    "open_weights": rng.random() < 0.3,
                    "licence_class": "proprietary",
                    "licence": "",
                    "description": "A synthetic model made by the benchmark.",
                }
            )
            for m in range(1, n_models + 1)
        ),
    )
    ai_models = Zipf(list(range(1, n_models + 1)), 1.1)

    tools = Table(Tool, connection)
    plans = Table(PricingPlan, connection, with_pk=False)
    relations = _tool_relations()
    draws: dict[str, tuple[Zipf, Callable[[random.Random], int]]] = {
        "input_modalities": (inputs, N_INPUTS),
        "output_modalities": (outputs, N_OUTPUTS),
        "use_cases": (uses, N_USES),
        "families": (families, N_FAMILIES),
        "ai_models": (ai_models, N_MODELS),
        "platforms": (platforms, N_PLATFORMS),
        "interactions": (work, N_WORK),
    }
    progress = Progress(n, "tools", quiet=quiet)
    for start in range(1, n + 1, CHUNK):
        tool_rows: list[tuple] = []
        plan_rows: list[tuple] = []
        links: dict[str, list[tuple[int, int]]] = {name: [] for name in relations}
        for i in range(start, min(start + CHUNK, n + 1)):
            first, second = rng.choice(NAME_FIRST), rng.choice(NAME_SECOND)
            name = f"{first} {second}"
            if rng.random() < RARE_RATE * len(RARE_WORDS):
                name = f"{first} {rng.choice(RARE_WORDS).title()} {second}"
            slug = f"{SLUG_PREFIX}{name.lower().replace(' ', '-')}-{i}"
            chosen = {}
            for relation, (vocabulary, how_many) in draws.items():
                chosen[relation] = vocabulary.some(rng, how_many(rng))
                links[relation].extend((i, target) for target in chosen[relation])
            pricing = PRICING(rng)
            tool_plans = _plans(rng, pricing) if rng.random() < 0.88 else []
            paid = [(p, period) for _, p, period, _ in tool_plans if p]
            starting_price, price_period = min(paid) if paid else (None, "")
            commercial = COMMERCIAL(rng)
            if pricing == "self_hosted":
                licence = "open_source" if rng.random() < 0.8 else "open_weights"
            else:
                licence = LICENCE(rng)
            status = STATUS(rng)
            created = now - datetime.timedelta(days=rng.randint(0, 1100), seconds=i)
            verified = rng.random() < 0.88
            tool_rows.append(
                tools.row(
                    {
                        "id": i,
                        "name": name,
                        "slug": slug,
                        "pitch": _pitch(rng),
                        "description": _description(
                            rng,
                            name,
                            " and ".join(
                                modality_names[m].lower() for m in chosen["input_modalities"]
                            ),
                            " and ".join(
                                modality_names[m].lower() for m in chosen["output_modalities"]
                            ),
                        ),
                        "vendor_id": None
                        if rng.random() < 0.08
                        else 1 + int(n_vendors * rng.random() ** 2.5),
                        "website": f"https://{slug}.example.com/",
                        "status": status,
                        "replaced_by_id": rng.randint(1, i - 1)
                        if status == "discontinued" and i > 1 and rng.random() < 0.5
                        else None,
                        "is_featured": rng.random() < 0.002,
                        "pricing_model": pricing,
                        "has_free_tier": pricing in ("free", "freemium", "self_hosted")
                        or (pricing == "usage" and rng.random() < 0.3),
                        "has_free_trial": pricing == "subscription" and rng.random() < 0.4,
                        "starting_price": starting_price,
                        "currency": "USD",
                        "price_period": price_period,
                        "licence_class": licence,
                        "licence_spdx": rng.choice(LICENCES) if licence == "open_source" else "",
                        "commercial_use": commercial,
                        "commercial_use_condition": "Only on paid plans."
                        if commercial == "conditional"
                        else "",
                        "output_ownership": OWNERSHIP(rng),
                        "ip_indemnity": INDEMNITY(rng),
                        "trains_on_user_data": TRAINING(rng),
                        "rights_notes": "",
                        "has_public_api": pricing == "usage" or rng.random() < 0.4,
                        "model_api_available": rng.random() < 0.3,
                        "source_url": f"https://{slug}.example.com/pricing" if verified else "",
                        # Synthetic rows with no provenance records: the derived column is
                        # written directly so the "recently checked" sort has work to do.
                        "last_checked": today - datetime.timedelta(days=rng.randint(0, 500))
                        if verified
                        else None,
                        "created": created,
                        "updated": created,
                    }
                )
            )
            plan_rows.extend(
                plans.row(
                    {
                        "tool_id": i,
                        "position": position,
                        "name": plan_name,
                        "price": price,
                        "currency": "USD",
                        "period": period,
                        "unit": unit,
                        "includes": "",
                        "commercial_use": "",
                    }
                )
                for position, (plan_name, price, period, unit) in enumerate(tool_plans)
            )
        tools.copy(cursor, tool_rows)
        for relation, (table, tool_column, target_column) in relations.items():
            copy_rows(cursor, table, [tool_column, target_column], links[relation])
        plans.copy(cursor, plan_rows)
        progress.update(min(start + CHUNK - 1, n))

    for model in (Tool, Vendor, AIModel):
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(max(id), 0) + 1 FROM {table}), false)"
        )


# --- Safety, reuse and the entry points ---------------------------------------------------


def _generated_models():
    from catalog.models import AIModel, PricingPlan, Tool, Vendor

    return Tool, Vendor, AIModel, PricingPlan


def _drop_indexes_and_foreign_keys(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' secondary indexes and foreign keys; return what recreates them.

    Primary keys and unique constraints stay. Runs inside the generating transaction,
    so an interrupted run leaves the schema as it was.
    """
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
        ORDER BY 1, 2
        """,
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')
        )
        ORDER BY 1
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in foreign_keys
    ]


# COPY sends no signals: what the project keeps current from signals is refreshed here,
# once, after the load and before the secondary indexes are rebuilt (an UPDATE of every
# row is far cheaper without a GIN index to maintain; the correlated subqueries still
# find their rows through primary keys and the relations' unique (tool_id, x_id)
# constraints, which stay). Each entry is optional.
POST_LOAD_HOOKS = [
    ("catalog.search_index", "refresh_search_vectors"),  # Tool.search_vector
]


def _refresh_denormalised(say: Callable[..., None]) -> None:
    import importlib

    for module_name, function in POST_LOAD_HOOKS:
        try:
            hook = getattr(importlib.import_module(module_name), function)
        except (ImportError, AttributeError):
            continue
        started = time.monotonic()
        hook()
        say(f"bench: {module_name}.{function}() in {time.monotonic() - started:.1f}s")


def _bump_catalogue_version() -> None:
    """COPY sends no signals: bump the catalogue's version stamp so caches let go."""
    try:
        from catalog.versioning import bump
    except ImportError:
        return
    bump()


def refuse_real_data(cursor) -> None:
    """Raise BenchError when the database holds anything the generator did not make."""
    Tool, Vendor, AIModel, _ = _generated_models()
    for model in (Tool, Vendor, AIModel):
        cursor.execute(
            f"SELECT count(*) FROM {model._meta.db_table} WHERE slug NOT LIKE %s",
            [SLUG_PREFIX + "%"],
        )
        (foreign,) = cursor.fetchone()
        if foreign:
            from django.db import connection

            raise BenchError(
                f"refusing to touch database {connection.settings_dict['NAME']!r}: it holds "
                f"{foreign} {model._meta.verbose_name_plural} not made by the benchmark "
                f"(slugs not starting with {SLUG_PREFIX!r}). Point DATABASE_URL at a database "
                "of its own, e.g. postgres://root@127.0.0.1:5432/bench."
            )


def schema_fingerprint(cursor) -> str:
    """The applied migrations: a catalogue generated before a migration is made again,
    so columns added since (denormalised data, say) are never left at their defaults."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return hashlib.sha1(repr(cursor.fetchall()).encode()).hexdigest()[:16]


META_COLUMNS = ("n", "seed", "generator", "schema", "seconds", "created")


def read_meta(cursor) -> dict[str, Any] | None:
    cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute(f"ALTER TABLE {META_TABLE} ADD COLUMN IF NOT EXISTS schema text")
    cursor.execute(f"SELECT {', '.join(META_COLUMNS)} FROM {META_TABLE} LIMIT 1")
    row = cursor.fetchone()
    return dict(zip(META_COLUMNS, row, strict=True)) if row else None


def generate(n: int, seed: int, *, force: bool = False, quiet: bool = False) -> dict[str, Any]:
    """Make sure the database holds the generated catalogue of (n, seed); return its meta."""
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise BenchError(f"the benchmark needs PostgreSQL; DATABASE_URL is {connection.vendor}")
    if n < 1:
        raise BenchError("N must be at least 1")
    Tool, Vendor, AIModel, PricingPlan = _generated_models()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    with transaction.atomic(), connection.cursor() as cursor:
        refuse_real_data(cursor)
        meta = read_meta(cursor)
        cursor.execute(f"SELECT count(*) FROM {Tool._meta.db_table}")
        (count,) = cursor.fetchone()
        schema = schema_fingerprint(cursor)
    wanted = {"n": n, "seed": seed, "generator": GENERATOR_VERSION, "schema": schema}
    if not force and meta and {k: meta[k] for k in wanted} == wanted and count == n:
        say(f"bench: reusing the generated catalogue (N={n:,}, seed={seed})")
        return {**meta, "reused": True}

    say(f"bench: generating N={n:,} tools (seed={seed})")
    started = time.monotonic()
    relations = _tool_relations()
    tables = [m._meta.db_table for m in (Tool, Vendor, AIModel, PricingPlan)]
    tables += [table for table, _, _ in relations.values()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (n integer NOT NULL, seed bigint NOT NULL, "
            "generator integer NOT NULL, schema text, seconds double precision, "
            "created timestamptz NOT NULL DEFAULT now())"
        )
        # Pending deferred foreign-key checks would forbid the TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)}, {META_TABLE} RESTART IDENTITY CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        call_command("loaddata", str(TAXONOMY_FIXTURE), verbosity=0)
        # The bulk-load recipe: drop secondary indexes and foreign keys, COPY, rebuild.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        rebuild = _drop_indexes_and_foreign_keys(cursor, tables)
        _write_catalogue(cursor.cursor, n, seed, quiet=quiet)
        _refresh_denormalised(say)
        say(f"bench: rebuilding {len(rebuild)} indexes and foreign keys")
        for statement in rebuild:
            cursor.execute(statement)
        _bump_catalogue_version()
        seconds = round(time.monotonic() - started, 1)
        cursor.execute(
            f"INSERT INTO {META_TABLE} (n, seed, generator, schema, seconds) "
            "VALUES (%s, %s, %s, %s, %s)",
            [n, seed, GENERATOR_VERSION, schema, seconds],
        )
    # VACUUM (outside a transaction only) also clears the dead rows the hooks' UPDATEs left.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        say(f"bench: {command}")
        for table in tables:
            cursor.execute(f"{command} {table}")
        meta = read_meta(cursor)
    say(f"bench: generated {n:,} tools in {time.monotonic() - started:.1f}s")
    return {**(meta or {}), "reused": False}


def ensure_database(url: str) -> None:
    """Create the database DATABASE_URL names when it does not exist yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise BenchError(f"DATABASE_URL must be PostgreSQL for the benchmark, got {url!r}")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    name = config["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"bench: creating database {name!r}", file=sys.stderr)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("N", 100_000)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SEED", 1)))
    parser.add_argument("--force", action="store_true", help="regenerate even when reusable")
    parser.add_argument(
        "--ensure-database", action="store_true", help="only create the database if missing"
    )
    args = parser.parse_args(argv)
    try:
        if args.ensure_database:
            ensure_database(os.environ.get("DATABASE_URL", ""))
            return 0
        setup_django()
        generate(args.n, args.seed, force=args.force)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

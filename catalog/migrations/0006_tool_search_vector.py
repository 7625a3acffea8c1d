"""The stored search document: Tool.search_vector, its GIN index and a backfill.

The column is added everywhere (SQLite keeps it as an untyped, always-empty
column); the index, the backfill and dropping 0003's expression index (which the
stored column replaces) run on PostgreSQL only. The backfill is the SQL form of
catalog.search_index.document(), written out so later model changes cannot
break this migration; from here on signals keep the column current.
"""

import django.contrib.postgres.search
from django.db import migrations

BACKFILL = """
UPDATE catalog_tool AS t SET search_vector =
    setweight(to_tsvector('english'::regconfig, COALESCE(t.name, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE(t.pitch, '') || ' '
        || COALESCE((SELECT v.name FROM catalog_vendor v WHERE v.id = t.vendor_id), '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(t.description, '')), 'C')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE((SELECT string_agg(u.name, ' ') FROM catalog_tool_use_cases tu
                  JOIN catalog_usecase u ON u.id = tu.usecase_id WHERE tu.tool_id = t.id), '')
        || ' '
        || COALESCE((SELECT string_agg(m.name, ' ') FROM catalog_tool_ai_models tm
                     JOIN catalog_aimodel m ON m.id = tm.aimodel_id WHERE tm.tool_id = t.id), '')
    ), 'D')
"""
FORWARD = [
    BACKFILL,  # before the index: building it once is cheaper than updating it per row
    "CREATE INDEX IF NOT EXISTS tool_search_vector_gin ON catalog_tool USING gin (search_vector)",
    "DROP INDEX IF EXISTS tool_search_document_gin",
]
BACKWARD = [
    """
    CREATE INDEX IF NOT EXISTS tool_search_document_gin ON catalog_tool USING gin ((
        setweight(to_tsvector('english'::regconfig, COALESCE(name, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(pitch, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'C')
    ))
    """,
    "DROP INDEX IF EXISTS tool_search_vector_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_tool_review_score"),
    ]

    operations = [
        migrations.AddField(
            model_name="tool",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]

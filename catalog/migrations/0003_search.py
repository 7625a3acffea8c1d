"""PostgreSQL search indexes; a no-op on other databases.

The indexes are not in the model's Meta because SQLite cannot build them;
they live here, guarded by the connection's vendor.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Full-text match on a tool's own text. The expression must stay identical to
    # catalog.search.tool_document() or the planner cannot use the index.
    """
    CREATE INDEX IF NOT EXISTS tool_search_document_gin ON catalog_tool USING gin ((
        setweight(to_tsvector('english'::regconfig, COALESCE(name, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(pitch, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'C')
    ))
    """,
    # Typo-tolerant name matching (% and %> operators) and "did you mean".
    # Trigrams are case-insensitive already, so the bare column is enough.
    "CREATE INDEX IF NOT EXISTS tool_name_trgm_gin ON catalog_tool USING gin (name gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS tool_name_trgm_gin",
    "DROP INDEX IF EXISTS tool_search_document_gin",
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
        ("catalog", "0002_editors_group"),
    ]

    operations = [
        migrations.RunPython(_run(CREATE), _run(DROP), elidable=False),
    ]

"""The search index's migrations create their full-text structures in raw SQL, one list of
statements per database vendor; this runs the list for the database being migrated."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence


def run_by_vendor(statements_by_vendor: Mapping[str, Sequence[str]]) -> Callable:
    """A ``RunPython`` function that executes the statements of the migrated database's
    vendor, and refuses any vendor but SQLite and PostgreSQL."""

    def run(apps, schema_editor) -> None:
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                "tierdesk search needs SQLite or PostgreSQL, not " + schema_editor.connection.vendor
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run

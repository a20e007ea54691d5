"""Every path and field name of the ZeroDB table API that the official sources disagree on.

The public sources describe at least four incompatible shapes (see docs/storage.md,
"Dialects"). Nothing else in the adapter spells a path or an
envelope key: it asks a `ZeroDBDialect` for them. Pick a preset with
`DOJOBOT_ZERODB__DIALECT` and override single knobs with `DOJOBOT_ZERODB__DIALECT_OVERRIDES`
(a JSON object), e.g. `{"offset_key": "offset"}`, once a probe of the live API says so.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

HttpMethod = Literal["POST", "PUT", "PATCH", "DELETE"]
WriteMode = Literal["by_id", "by_filter"]
"""`by_id`: `{table}/rows/{row_id}`; `by_filter`: `{table}/rows` with a filter on the id."""


class ZeroDBDialect(BaseModel):
    """One variant of the table API: paths relative to `tables_path`, envelope keys, verbs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tables_path: str = "/api/v1/projects/{project_id}/database/tables"
    """Prefix of every table call; `{project_id}` is filled from the settings."""
    auth_header: str = "X-API-Key"
    auth_scheme: str = ""
    """Put before the key in the header value, e.g. `Bearer` for `Authorization: Bearer …`."""
    create_name_key: str = "name"
    """Key of the table name in the create-table body (`table_name` in the Python SDK)."""
    insert_path: str = "{table}/rows"
    insert_key: str = "row_data"
    insert_batch: bool = False
    """True: `insert_key` holds a list of rows; False: one row per call."""
    insert_max_rows: int = Field(default=1000, ge=1)
    query_path: str = "{table}/query"
    filter_key: str = "filters"
    limit_key: str = "limit"
    offset_key: str = "skip"
    sort_key: str | None = None
    """Key of a Mongo-style sort object (`{"field": 1|-1}`); None: the API has no sort, so
    the adapter sorts on its side."""
    max_limit: int = Field(default=1000, ge=1)
    """Largest page the API hands out; longer reads are paged."""
    rows_key: str = "rows"
    total_key: str = "total"
    id_field: str = "id"
    """The server-assigned row id in answered rows (`_id`, `row_id` elsewhere)."""
    update_mode: WriteMode = "by_id"
    update_method: HttpMethod = "PUT"
    update_row_key: str = "row_data"
    """by_id: the body key of the new row."""
    update_filter_key: str = "filter"
    update_key: str = "update"
    """by_filter: `{update_filter_key: {id_field: row_id}, update_key: {"$set": row}}`."""
    delete_mode: WriteMode = "by_id"
    delete_filter_key: str = "filter"

    @field_validator("tables_path")
    @classmethod
    def _tables_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(
                "tables_path must be an absolute path such as "
                "/api/v1/projects/{project_id}/database/tables"
            )
        return value.rstrip("/")

    # paths --------------------------------------------------------------------------------
    def tables(self, project_id: str) -> str:
        """The create-table path of a project."""
        return self.tables_path.format(project_id=project_id)

    def insert(self, project_id: str, table: str) -> str:
        return self._join(project_id, self.insert_path.format(table=table))

    def query(self, project_id: str, table: str) -> str:
        return self._join(project_id, self.query_path.format(table=table))

    def row(self, project_id: str, table: str, row_id: str) -> str:
        """The path of one row (update and delete by id)."""
        return self._join(project_id, f"{table}/rows/{row_id}")

    def rows(self, project_id: str, table: str) -> str:
        """The path of a table's rows (update and delete by filter)."""
        return self._join(project_id, f"{table}/rows")

    def _join(self, project_id: str, tail: str) -> str:
        return f"{self.tables(project_id)}/{tail}"

    # bodies -------------------------------------------------------------------------------
    def auth_value(self, api_key: str) -> str:
        """The auth header's value for a key (the caller keeps it out of logs)."""
        return f"{self.auth_scheme} {api_key}" if self.auth_scheme else api_key

    def create_body(self, table: str, description: str) -> dict[str, Any]:
        return {self.create_name_key: table, "description": description}

    def insert_bodies(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The request bodies that insert `rows` (one per row, or batches)."""
        if not self.insert_batch:
            return [{self.insert_key: row} for row in rows]
        size = self.insert_max_rows
        return [{self.insert_key: rows[i : i + size]} for i in range(0, len(rows), size)]

    def query_body(
        self,
        filters: dict[str, Any],
        limit: int,
        offset: int,
        sort: list[tuple[str, int]] | None,
    ) -> dict[str, Any]:
        """A query body; `sort` is sent only when the dialect has a sort key."""
        body: dict[str, Any] = {self.filter_key: filters, self.limit_key: limit}
        if offset:
            body[self.offset_key] = offset
        if sort and self.sort_key:
            body[self.sort_key] = dict(sort)
        return body

    def update_body(self, row_id: str, row: dict[str, Any]) -> dict[str, Any]:
        if self.update_mode == "by_id":
            return {self.update_row_key: row}
        return {self.update_filter_key: {self.id_field: row_id}, self.update_key: {"$set": row}}

    def delete_body(self, row_id: str) -> dict[str, Any] | None:
        if self.delete_mode == "by_id":
            return None
        return {self.delete_filter_key: {self.id_field: row_id}}


DialectName = Literal["docs", "python-sdk", "quickstart", "typescript-sdk"]

PRESETS: dict[str, dict[str, Any]] = {
    # A. docs.ainative.studio/docs/zerodb/tables (+ X-API-Key, which every other source uses)
    "docs": {},
    # B. ainative-python 3.1.1 zerodb/tables.py (intended paths)
    "python-sdk": {
        "create_name_key": "table_name",
        "insert_key": "rows",
        "insert_batch": True,
        "filter_key": "filter",
        "offset_key": "offset",
        "sort_key": "sort",
        "update_mode": "by_filter",
        "delete_mode": "by_filter",
    },
    # D. "Tables API Quick Start" (no project id in the path)
    "quickstart": {
        "tables_path": "/v1/public/database/tables",
        "insert_batch": True,
        "filter_key": "filter",
        "offset_key": "offset",
        "sort_key": "sort",
        "id_field": "_id",
        "update_mode": "by_filter",
        "update_method": "PATCH",
        "delete_mode": "by_filter",
    },
    # E. zerodb-typescript-sdk src/operations/tables.ts
    "typescript-sdk": {
        "tables_path": "/api/v1/zerodb/{project_id}/database/tables",
        "insert_key": "rows",
        "insert_batch": True,
        "query_path": "{table}/rows/query",
        "offset_key": "offset",
        "update_mode": "by_filter",
        "update_filter_key": "filters",
        "update_key": "updates",
        "delete_mode": "by_filter",
        "delete_filter_key": "filters",
    },
}
"""Named variants; `docs` is the public documentation page and the default."""


def resolve_dialect(name: DialectName, overrides: dict[str, Any] | None = None) -> ZeroDBDialect:
    """The preset `name` with `overrides` applied (unknown knobs are refused)."""
    return ZeroDBDialect.model_validate(PRESETS[name] | (overrides or {}))

"""Every path and field name of the ZeroDB table API that the official sources disagree on.

The public sources and the official clients describe at least seven incompatible shapes (see
docs/storage.md, "Dialects"). Nothing else in the adapter spells a path or an envelope key:
it asks a `ZeroDBDialect` for the `ApiCall` of each operation. Pick a preset with
`DOJOBOT_ZERODB__DIALECT` and override single knobs with `DOJOBOT_ZERODB__DIALECT_OVERRIDES`
(a JSON object), e.g. `{"offset_key": "offset"}`, once `dojobot zerodb-check` (probe.py) says
which shape the live API answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from adapters.zerodb.filter_styles import FilterStyle, spell

HttpMethod = Literal["POST", "PUT", "PATCH", "DELETE"]
WriteMode = Literal["by_id", "by_filter"]
"""`by_id`: `{table}/rows/{row_id}`; `by_filter`: `update_path` / `delete_path` with a filter
on the id."""


@dataclass(frozen=True)
class ApiCall:
    """One HTTP request of the table API: method, path, JSON body, query parameters."""

    method: str
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, str] | None = None


class ZeroDBDialect(BaseModel):
    """One variant of the table API: paths relative to `tables_path`, envelope keys, verbs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tables_path: str = "/api/v1/projects/{project_id}/database/tables"
    """Prefix of every table call; `{project_id}` is filled from the settings."""
    auth_header: str = "X-API-Key"
    auth_scheme: str = ""
    """Put before the key in the header value, e.g. `Bearer` for `Authorization: Bearer …`."""
    project_header: str | None = None
    """Header that carries the project id (`X-Project-ID`), besides or instead of the path."""
    create_path: str | None = ""
    """Create-table path after `tables_path` (`""`: the prefix itself, `"/"`: with a trailing
    slash); None: the shape has no create call (tables appear with their first insert)."""
    create_name_key: str = "name"
    """Key of the table name in the create-table body (`table_name` in the Python SDK)."""
    create_description_key: str | None = "description"
    """Key of the table's description in the create-table body; None: the shape sends only
    the name (ainative-agent, zerodb-apscheduler)."""
    list_path: str | None = ""
    """List-tables path after `tables_path` (GET; only `dojobot zerodb-check` uses it)."""
    drop_path: str | None = "{table}"
    """Drop-table path after `tables_path/` (DELETE; only `dojobot zerodb-check` uses it)."""
    table_key: str | None = None
    """Body key naming the table, when the paths name only the operation (zerodb-supabase)."""
    operation_key: str | None = None
    """Body key repeating the operation (`query`, `insert`, `update`, `delete`)."""
    insert_path: str = "{table}/rows"
    insert_key: str = "row_data"
    insert_batch: bool = False
    """True: `insert_key` holds a list of rows; False: one row per call."""
    insert_max_rows: int = Field(default=1000, ge=1)
    query_path: str = "{table}/query"
    query_method: Literal["POST", "GET"] = "POST"
    """GET: the query travels as parameters, the filter JSON-encoded (ainative-agent)."""
    filter_key: str = "filters"
    filter_style: FilterStyle = "mongo"
    """How a filter is spelled: `mongo`, `suffix` (`field__lte`) or `list` (PostgREST-like)."""
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
    update_path: str = "{table}/rows"
    """by_filter: the update path."""
    update_filter_key: str = "filter"
    update_key: str = "update"
    """by_filter: `{update_filter_key: {id_field: row_id}, update_key: {"$set": row}}`."""
    update_operator: str | None = "$set"
    """by_filter: the operator wrapping the new fields; None: the fields as they are."""
    delete_mode: WriteMode = "by_id"
    delete_method: Literal["DELETE", "POST"] = "DELETE"
    delete_path: str = "{table}/rows"
    """by_filter: the delete path."""
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
        """The prefix of a project's table paths."""
        return self.tables_path.format(project_id=project_id)

    def insert(self, project_id: str, table: str) -> str:
        return self._join(project_id, self.insert_path.format(table=table))

    def query(self, project_id: str, table: str) -> str:
        return self._join(project_id, self.query_path.format(table=table))

    def row(self, project_id: str, table: str, row_id: str) -> str:
        """The path of one row (update and delete by id)."""
        return self._join(project_id, f"{table}/rows/{row_id}")

    def rows(self, project_id: str, table: str) -> str:
        """The path of a table's rows."""
        return self._join(project_id, f"{table}/rows")

    def _join(self, project_id: str, tail: str) -> str:
        return f"{self.tables(project_id)}/{tail}"

    # headers ------------------------------------------------------------------------------
    def auth_value(self, api_key: str) -> str:
        """The auth header's value for a key (the caller keeps it out of logs)."""
        return f"{self.auth_scheme} {api_key}" if self.auth_scheme else api_key

    def headers(self, api_key: str, project_id: str) -> dict[str, str]:
        """Every header a call carries: the key, and the project id if the shape wants it."""
        found = {self.auth_header: self.auth_value(api_key)}
        if self.project_header:
            found[self.project_header] = project_id
        return found

    # calls --------------------------------------------------------------------------------
    def create_call(self, project_id: str, table: str, description: str) -> ApiCall | None:
        """Create a table; None when the shape has no create call."""
        if self.create_path is None:
            return None
        body = {self.create_name_key: table}
        if self.create_description_key:
            body[self.create_description_key] = description
        return ApiCall("POST", self.tables(project_id) + self.create_path, body)

    def list_call(self, project_id: str) -> ApiCall | None:
        """List the project's tables (read-only); None when the shape has no such call."""
        if self.list_path is None:
            return None
        return ApiCall("GET", self.tables(project_id) + self.list_path)

    def drop_call(self, project_id: str, table: str) -> ApiCall | None:
        """Drop a table; None when the shape has no such call."""
        if self.drop_path is None:
            return None
        return ApiCall("DELETE", self._join(project_id, self.drop_path.format(table=table)))

    def insert_calls(
        self, project_id: str, table: str, rows: list[dict[str, Any]]
    ) -> list[ApiCall]:
        """The calls that insert `rows` (one per row, or per batch)."""
        path = self.insert(project_id, table)
        if not self.insert_batch:
            return [
                ApiCall("POST", path, self._body(table, "insert", {self.insert_key: r}))
                for r in rows
            ]
        size = self.insert_max_rows
        return [
            ApiCall(
                "POST", path, self._body(table, "insert", {self.insert_key: rows[i : i + size]})
            )
            for i in range(0, len(rows), size)
        ]

    def query_call(
        self,
        project_id: str,
        table: str,
        filters: dict[str, Any],
        limit: int,
        offset: int,
        sort: list[tuple[str, int]] | None,
    ) -> ApiCall:
        """A query; `sort` is sent only when the dialect has a sort key."""
        path = self.query(project_id, table)
        spelled = spell(filters, self.filter_style)
        if self.query_method == "GET":
            params = {self.limit_key: str(limit)}
            if spelled:
                params[self.filter_key] = json.dumps(spelled)  # as ainative-agent spells it
            if offset:
                params[self.offset_key] = str(offset)
            return ApiCall("GET", path, None, params)
        body: dict[str, Any] = {self.filter_key: spelled, self.limit_key: limit}
        if offset:
            body[self.offset_key] = offset
        if sort and self.sort_key:
            body[self.sort_key] = dict(sort)
        return ApiCall("POST", path, self._body(table, "query", body))

    def update_call(self, project_id: str, table: str, row_id: str, row: dict[str, Any]) -> ApiCall:
        """Overwrite the fields of the row with this id by `row`."""
        if self.update_mode == "by_id":
            path = self.row(project_id, table, row_id)
            return ApiCall(self.update_method, path, {self.update_row_key: row})
        change = {self.update_operator: row} if self.update_operator else row
        body = {self.update_filter_key: self._by_id(row_id), self.update_key: change}
        path = self._join(project_id, self.update_path.format(table=table))
        return ApiCall(self.update_method, path, self._body(table, "update", body))

    def delete_call(self, project_id: str, table: str, row_id: str) -> ApiCall:
        """Delete the row with this id."""
        if self.delete_mode == "by_id":
            return ApiCall("DELETE", self.row(project_id, table, row_id))
        body = self._body(table, "delete", {self.delete_filter_key: self._by_id(row_id)})
        path = self._join(project_id, self.delete_path.format(table=table))
        return ApiCall(self.delete_method, path, body)

    def _by_id(self, row_id: str) -> Any:
        return spell({self.id_field: row_id}, self.filter_style)

    def _body(self, table: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """`body` with the table and operation names, when the shape puts them there."""
        head: dict[str, Any] = {}
        if self.table_key:
            head[self.table_key] = table
        if self.operation_key:
            head[self.operation_key] = operation
        return head | body


DialectName = Literal[
    "docs", "python-sdk", "quickstart", "typescript-sdk", "agent-sdk", "apscheduler", "supabase"
]

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
    # G. ainative-agent 0.1.0 ainative_agent/tables.py + _http.py (no project id anywhere:
    # the key picks the project). List / create `{name}` at `tables/` (trailing slash), drop
    # at `tables/{name}`; query is a GET with the filter JSON-encoded in `filter`, answered by
    # a bare list; update `PUT …/rows {filter, updates}` with `updates` as given (no `$set`);
    # delete `DELETE …/rows {filter}`.
    "agent-sdk": {
        "tables_path": "/api/v1/public/tables",
        "create_path": "/",
        "create_description_key": None,
        "list_path": "/",
        "insert_key": "rows",
        "insert_batch": True,
        "query_path": "{table}/rows",
        "query_method": "GET",
        "filter_key": "filter",
        "offset_key": "offset",
        "update_mode": "by_filter",
        "update_key": "updates",
        "update_operator": None,
        "delete_mode": "by_filter",
    },
    # H. zerodb-apscheduler 0.1.0 zerodb_apscheduler/jobstore.py: Bearer key plus
    # X-Project-ID, the project id also in the path, `field__op` filters; create `{name}`.
    # The client never updates (delete + insert) nor lists or drops tables: update is a
    # `PUT` on the `rows` path its delete uses, with that delete's `filters` key and
    # ainative-agent's plain `updates` (no `$set`); drop as ainative-agent. Unconfirmed.
    "apscheduler": {
        "tables_path": "/api/v1/public/tables/{project_id}",
        "auth_header": "Authorization",
        "auth_scheme": "Bearer",
        "project_header": "X-Project-ID",
        "create_description_key": None,
        "list_path": None,
        "insert_key": "rows",
        "insert_batch": True,
        "filter_style": "suffix",
        "offset_key": "offset",
        "update_mode": "by_filter",
        "update_filter_key": "filters",
        "update_key": "updates",
        "update_operator": None,
        "delete_mode": "by_filter",
        "delete_filter_key": "filters",
    },
    # I. zerodb-supabase 0.1.0 zerodb_supabase/client.py + query.py: Bearer key plus
    # X-Project-ID, one path per operation (`tables/query|insert|update|delete`, all POST) with
    # `{"table", "operation", …}` bodies, PostgREST-like filter lists, plain update fields
    # under `data`. No create / list / drop call.
    "supabase": {
        "tables_path": "/api/v1/public/tables",
        "auth_header": "Authorization",
        "auth_scheme": "Bearer",
        "project_header": "X-Project-ID",
        "create_path": None,
        "list_path": None,
        "drop_path": None,
        "table_key": "table",
        "operation_key": "operation",
        "insert_path": "insert",
        "insert_key": "rows",
        "insert_batch": True,
        "query_path": "query",
        "filter_style": "list",
        "offset_key": "offset",
        "total_key": "count",
        "update_mode": "by_filter",
        "update_method": "POST",
        "update_path": "update",
        "update_filter_key": "filters",
        "update_key": "data",
        "update_operator": None,
        "delete_mode": "by_filter",
        "delete_method": "POST",
        "delete_path": "delete",
        "delete_filter_key": "filters",
    },
}
"""Named variants; `docs` is the public documentation page and the default."""


def resolve_dialect(name: DialectName, overrides: dict[str, Any] | None = None) -> ZeroDBDialect:
    """The preset `name` with `overrides` applied (unknown knobs are refused)."""
    return ZeroDBDialect.model_validate(PRESETS[name] | (overrides or {}))

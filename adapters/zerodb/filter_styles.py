"""The store's Mongo-style filters, spelled the way each client family sends them.

The store builds every filter as a Mongo-style object: a field equal to a value (`null`
included), or a field passing operators `$eq $ne $gt $gte $lt $lte $in`. Three spellings are
in use by the official clients:

- `mongo`: as built (docs page, ainative-python, quick start, TypeScript SDK, ainative-agent);
- `suffix`: one key per condition, the operator as a `__` suffix (`{"due_at__lte": t,
  "next_run_time__ne": null}`), as zerodb-apscheduler 0.1.0 sends in `jobstore.py`;
- `list`: PostgREST-like conditions `[{"column", "op", "value"}]` with ops `eq neq gt gte lt
  lte in is` (and `not.is`), as zerodb-supabase 0.1.0 sends in `query.py`.
"""

from __future__ import annotations

from typing import Any, Literal

FilterStyle = Literal["mongo", "suffix", "list"]

OPERATORS = ("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in")
_LIST_OPS = {
    "$eq": "eq",
    "$ne": "neq",
    "$gt": "gt",
    "$gte": "gte",
    "$lt": "lt",
    "$lte": "lte",
    "$in": "in",
}


def conditions(filters: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(field, Mongo operator, operand) of every condition; plain values become `$eq`."""
    found: list[tuple[str, str, Any]] = []
    for name, condition in filters.items():
        if isinstance(condition, dict) and condition and all(k in OPERATORS for k in condition):
            found += [(name, op, operand) for op, operand in condition.items()]
        elif isinstance(condition, dict) and any(str(k).startswith("$") for k in condition):
            raise ValueError(f"unsupported operator in {condition}")
        else:
            found.append((name, "$eq", condition))
    return found


def spell(filters: dict[str, Any], style: FilterStyle) -> Any:
    """`filters` in the given style."""
    if style == "mongo":
        return filters
    if style == "suffix":
        return {
            name if op == "$eq" else f"{name}__{op[1:]}": operand
            for name, op, operand in conditions(filters)
        }
    return [_list_condition(name, op, operand) for name, op, operand in conditions(filters)]


def _list_condition(name: str, op: str, operand: Any) -> dict[str, Any]:
    if operand is None and op in ("$eq", "$ne"):
        return {"column": name, "op": "is" if op == "$eq" else "not.is", "value": None}
    return {"column": name, "op": _LIST_OPS[op], "value": operand}

"""Stand-ins for dbt's Jinja context, so sqlfluff's jinja templater renders the models offline.

sqlfluff (``.sqlfluff``: ``templater = jinja``, ``library_path = sqlfluff_libs``) makes every
public name of this package a Jinja global. ``apply_dbt_builtins`` already provides ``ref``,
``source``, ``var``, ``config``, ``this``, ``is_incremental`` and ``return``; the project's own
macros are loaded from ``macros/``. What remains of dbt's context is here, each rendering a
plain SQL expression of the same shape (a function call, a type name) so the model around it
parses: the linter checks the SQL written in the model files, not what dbt's macros expand to.
``execute`` is false, as while dbt parses, so no macro queries a warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

execute = False


def _call(name: str) -> Callable[..., str]:
    """A function rendering ``name(arg, ...)``: a SQL call standing in for a dbt macro."""

    def render(*args: Any, **kwargs: Any) -> str:
        rendered = [_sql_argument(value) for value in (*args, *kwargs.values())]
        return f"{name}({', '.join(rendered)})"

    return render


def _sql_argument(value: Any) -> str:
    """A macro argument as SQL: a list (of columns) becomes a comma-separated list."""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


class _Namespace:
    """An object whose attributes are the given values; unknown attributes render as calls."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Callable[..., str]:
        return _call(name)


def _constant(value: str) -> Callable[..., str]:
    return lambda *args, **kwargs: value


dbt = _Namespace(
    type_string=_constant("varchar"),
    type_timestamp=_constant("timestamp"),
    type_numeric=_constant("numeric"),
    type_bigint=_constant("bigint"),
    type_int=_constant("integer"),
    type_float=_constant("double"),
    current_timestamp=_constant("current_timestamp"),
    generate_series=_constant("select 1 as generated_number"),
    listagg=lambda measure, delimiter_text="','", order_by_clause="", limit_num=None: (
        f"string_agg({measure}, {delimiter_text} {order_by_clause})"
    ),
)

adapter = _Namespace(
    dispatch=lambda macro_name, macro_namespace=None: _call(macro_name),
    quote=lambda identifier: f'"{identifier}"',
)

exceptions = _Namespace(
    raise_compiler_error=_constant(""),
    warn=_constant(""),
)

target = _Namespace(schema="main", name="local", type="duckdb", database="funnel")

flags = _Namespace(WHICH="parse")

log = _constant("")

run_query = _constant("")

#: dbt's start of the invocation (a datetime): only its strftime() is used
run_started_at = _Namespace(strftime=_constant("2000-01-01 00:00:00.000000"))

"""The floor: what DuckDB alone needs to scan every landed file once and write a funnel fact.

Run by ``bench/run.py`` as its own process (so its peak memory is measured the same way as a
build's). One DuckDB connection, the warehouse's settings (threads, memory limit, spill
folder), no Python per row, no Dagster, no dbt, no validation, no tests:

1. every landed CSV of every entity is read once with ``read_csv`` (DuckDB's own type
   detection, all files of an entity in one scan with ``union_by_name``) into a table;
2. one SQL statement maps the CRM labels of lead status changes and deal stage changes to
   funnel stages through ``seeds/crm_stage_labels.csv`` and writes one row per lead with its
   furthest stage, number of stage events and number of deals: roughly ``marts.fct_funnel``.

Prints one JSON object: seconds per step and in total (measured inside the process, so the
Python start-up is not counted), and the rows written.

    python bench/floor.py --landing DIR --database FILE
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

import duckdb  # noqa: E402

from orchestration.landing_contract import ENTITIES  # noqa: E402
from orchestration.warehouse import duckdb_settings  # noqa: E402

# One label key per CRM label, as the staging macro normalize_label builds it.
_LABEL_KEY = "nullif(lower(trim(regexp_replace({0}, '[[:space:]]+', ' ', 'g'))), '')"


def _label_joins(entity_type: str, label: str) -> str:
    """Joins mapping a CRM label: this CRM's mapping (``exact``), else any CRM's (``any_crm``)."""
    key = _LABEL_KEY.format(label)
    return f"""left join labels as exact
        on exact.entity_type = '{entity_type}'
        and exact.source_system = lower(trim(coalesce(changes.source_system, 'hubspot')))
        and exact.label_key = {key}
    left join labels as any_crm
        on any_crm.entity_type = '{entity_type}'
        and any_crm.source_system = '*'
        and any_crm.label_key = {key}"""


FUNNEL_FACT_SQL = f"""
create or replace table fct_funnel_floor as
with
labels as (
    select
        lower(trim(source_system)) as source_system,
        lower(trim(entity_type)) as entity_type,
        {_LABEL_KEY.format("label")} as label_key,
        stage_key
    from read_csv(?, header = true, all_varchar = true)
),
stages as (
    select stage_key, cast(stage_order as integer) as stage_order
    from read_csv(?, header = true, all_varchar = true)
    where stage_order is not null
),
lead_events as (
    select
        trim(changes.lead_id) as lead_id,
        coalesce(exact.stage_key, any_crm.stage_key) as stage_key
    from crm__lead_status_changes as changes
    {_label_joins("lead", "changes.status")}
),
deal_leads as (
    select trim(deal_id) as deal_id, max(trim(lead_id)) as lead_id
    from crm__deals
    where nullif(trim(lead_id), '') is not null
    group by 1
),
deal_events as (
    select
        deal_leads.lead_id,
        coalesce(exact.stage_key, any_crm.stage_key) as stage_key
    from crm__deal_stage_changes as changes
    join deal_leads on deal_leads.deal_id = trim(changes.deal_id)
    {_label_joins("deal", "changes.stage")}
),
events as (
    select lead_id, stage_key from lead_events
    union all
    select lead_id, stage_key from deal_events
),
leads as (
    select trim(lead_id) as lead_id, min(created_at) as created_at
    from crm__leads
    group by 1
),
per_lead as (
    select
        events.lead_id,
        max(stages.stage_order) as furthest_stage_order,
        count(*) as stage_event_count
    from events
    left join stages on stages.stage_key = events.stage_key
    group by 1
),
deal_counts as (
    select lead_id, count(*) as deal_count from deal_leads group by 1
)
select
    leads.lead_id,
    leads.created_at,
    coalesce(per_lead.furthest_stage_order, 1) as furthest_stage_order,
    coalesce(furthest.stage_key, 'lead') as furthest_stage_key,
    coalesce(per_lead.stage_event_count, 0) as stage_event_count,
    coalesce(deal_counts.deal_count, 0) as deal_count
from leads
left join per_lead on per_lead.lead_id = leads.lead_id
left join deal_counts on deal_counts.lead_id = leads.lead_id
left join stages as furthest on furthest.stage_order = per_lead.furthest_stage_order
"""


def landed_files(landing: Path, entity_path: str) -> list[str]:
    folder = landing / entity_path
    patterns = ("*.csv", "*.csv.gz")
    return sorted(str(p) for pattern in patterns for p in folder.glob(pattern) if p.is_file())


def run(landing: Path, database: Path) -> dict[str, object]:
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in (database, Path(f"{database}.wal")):
        stale.unlink(missing_ok=True)
    settings = duckdb_settings(database)
    started = time.perf_counter()
    con = duckdb.connect(str(database), config=settings)
    con.execute("set TimeZone = 'UTC'")
    con.execute("set preserve_insertion_order = false")
    scans: dict[str, dict[str, object]] = {}
    scan_started = time.perf_counter()
    for entity in ENTITIES:
        files = landed_files(landing, entity.path)
        if not files:
            continue
        t = time.perf_counter()
        mode = "typed"
        try:
            con.execute(
                f"create or replace table {entity.raw_table} as "
                "select * from read_csv(?, header = true, union_by_name = true)",
                [files],
            )
        except duckdb.Error:
            # a type detection that a later file contradicts: read as text instead
            mode = "all_varchar"
            con.execute(
                f"create or replace table {entity.raw_table} as select * from "
                "read_csv(?, header = true, union_by_name = true, all_varchar = true)",
                [files],
            )
        rows = con.execute(f"select count(*) from {entity.raw_table}").fetchone()[0]
        scans[entity.path] = {
            "files": len(files),
            "bytes": sum(Path(f).stat().st_size for f in files),
            "rows": rows,
            "seconds": round(time.perf_counter() - t, 3),
            "mode": mode,
        }
    scan_seconds = time.perf_counter() - scan_started
    t = time.perf_counter()
    con.execute(
        FUNNEL_FACT_SQL,
        [
            str(PROJECT_DIR / "seeds" / "crm_stage_labels.csv"),
            str(PROJECT_DIR / "seeds" / "funnel_stages.csv"),
        ],
    )
    con.execute("checkpoint")
    fact_seconds = time.perf_counter() - t
    fact_rows = con.execute("select count(*) from fct_funnel_floor").fetchone()[0]
    con.close()
    return {
        "scan_seconds": round(scan_seconds, 3),
        "fact_seconds": round(fact_seconds, 3),
        "total_seconds": round(time.perf_counter() - started, 3),
        "fact_rows": fact_rows,
        "entities": scans,
        "duckdb_settings": {k: v for k, v in settings.items() if k != "temp_directory"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--landing", required=True, type=Path)
    parser.add_argument("--database", required=True, type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.landing.resolve(), args.database.resolve())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

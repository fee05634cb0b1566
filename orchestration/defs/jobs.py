"""The one job: the nightly build (ingest, dbt build with every data test, publish)."""

import dagster as dg

NIGHTLY_BUILD = "nightly_build"

nightly_build = dg.define_asset_job(
    NIGHTLY_BUILD,
    selection=dg.AssetSelection.all(),
    description="Ingest every new landed file, then dbt build (models, seeds, tests), then "
    "publish the serving file.",
)

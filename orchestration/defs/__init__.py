"""The Dagster definitions: assets, the nightly_build job, its schedule and sensor, resources.

Only definitions live here; the code they call (ingestion, publishing, the dbt project) lives
beside this package. ``orchestration/definitions.py`` puts them together. Importing a module
here runs nothing: the dbt assets are built from the manifest when the definitions load.
"""

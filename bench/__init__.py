"""The benchmark of the nightly build (``bench/run.py``) and its DuckDB-only floor."""

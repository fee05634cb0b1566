"""How the suite's two workers (pytest-xdist, ``./dev test``) share the test files.

A file always runs whole on one worker, so its module fixtures are built once. The files that use
one of the session fixtures building a whole warehouse (``SHARED_BUILDS``) form one group, run on
one worker, so that warehouse is built once per run rather than once per worker. The longest
groups are handed out first, so that no worker is left alone with a long tail.

xdist's own ``xdist_group`` mark cannot do this here: xdist 3.8 renames a test by an attribute
that pytest 9.2 no longer reads, so the mark is ignored. The controller, which never collects,
groups by file name instead (``GroupsOfFiles``), and each worker checks at collection that the
static table below still matches the fixtures the tests use.
"""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadScopeScheduling

#: the session fixtures that build a whole warehouse, and the group of the files using each
SHARED_BUILDS = {
    "canonical_world": "crm_world",
    "mixed_world": "crm_world",
    "sample_build": "sample_build",
}

#: the files using those fixtures (checked by ``misgrouped``), and one that must not run beside
#: some of them
GROUP_OF_FILE = {
    **dict.fromkeys(
        ("test_salesforce_equivalence.py", "test_hubspot_equivalence.py", "test_idle_systems.py"),
        "crm_world",
    ),
    **dict.fromkeys(
        (
            "test_dag_rules.py",
            "test_dbt_unit_tests.py",
            "test_docs_site.py",
            "test_end_to_end.py",
            "test_funnel_oracle.py",
            "test_marketing_oracle.py",
            "test_operations.py",
            # parses warehouses named other than funnel.duckdb, and each parse copies its
            # manifest to target/, whose database name `mf` reads: never beside the docs and
            # semantic-layer tests
            "test_parse_state.py",
            "test_report_browser.py",
            "test_revenue_oracle.py",
            "test_sales_oracle.py",
            "test_semantic_layer.py",
        ),
        "sample_build",
    ),
}

#: the longest groups, first (measured in the suite's durations); every other file follows in
#: collection order
LONGEST_FIRST = (
    "test_engines.py",
    "sample_build",
    "crm_world",
    "test_build_lock.py",
    "test_incremental_models.py",
    "test_bench.py",
    "test_landing_gate_dates.py",
    "test_billing_equivalence.py",
    "test_hubspot_fixture.py",
    "test_salesforce_fixtures.py",
)


def file_group(nodeid: str) -> str:
    """The group of a test, from its node id: its file's group, else its file name."""
    file_name = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    return GROUP_OF_FILE.get(file_name, file_name)


def misgrouped(items: list[pytest.Item]) -> list[str]:
    """Tests that use a shared build while their file is not in that build's group."""
    wrong = []
    for item in items:
        for fixture, group in SHARED_BUILDS.items():
            if fixture in getattr(item, "fixturenames", ()) and file_group(item.nodeid) != group:
                wrong.append(f"{item.nodeid} uses {fixture}: add its file to GROUP_OF_FILE")
    return wrong


def longest_first(items: list[pytest.Item]) -> None:
    """Sort the tests by their group's place in LONGEST_FIRST (stable: a file stays whole)."""
    rank = {group: position for position, group in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(file_group(item.nodeid), len(rank)))


class GroupsOfFiles(LoadScopeScheduling):
    """xdist's scope scheduling with a group of files as the scope."""

    def _split_scope(self, nodeid: str) -> str:
        return file_group(nodeid)

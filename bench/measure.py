"""Measuring one process tree: wall time, peak memory (sampled and kernel-accounted), its CPU
time and everyone else's, and what machine this is."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from orchestration.warehouse import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS

PROJECT_DIR = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def gib(kib: float) -> float:
    return round(kib / 1024 / 1024, 3)


def cpu_jiffies() -> int:
    """Busy (non-idle) jiffies of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle


def machine() -> dict[str, Any]:
    import duckdb

    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        mem_kib = int(info.readline().split()[1])

    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as v

        try:
            return v(package)
        except PackageNotFoundError:
            return "missing"

    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": gib(mem_kib),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "dagster": version("dagster"),
        "dagster_dbt": version("dagster-dbt"),
    }


def duckdb_config() -> dict[str, str]:
    return {
        "threads": os.environ.get("FUNNEL_DUCKDB_THREADS", DEFAULT_THREADS),
        "memory_limit": os.environ.get("FUNNEL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        "preserve_insertion_order": "false (dbt models; the loader keeps file order)",
        "temp_directory": "<warehouse>.tmp (DuckDB's default for a file)",
        "dbt_threads": "2 (profiles.yml)",
    }


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self.samples = 0
        self._stop_event = threading.Event()
        self._page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def _read_stat(self, pid: int) -> tuple[int, int] | None:
        """(parent pid, RSS in KiB) of a process, None when it is gone."""
        try:
            with open(f"/proc/{pid}/stat") as stat:
                text = stat.read()
        except OSError:
            return None
        fields = text[text.rfind(")") + 2 :].split()
        return int(fields[1]), int(fields[21]) * self._page_kib

    def _discover(self) -> set[int]:
        """The process and all its descendants, from every process's parent in /proc."""
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                stat = self._read_stat(int(entry.name))
                if stat:
                    children.setdefault(stat[0], []).append(int(entry.name))
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            for child in children.get(frontier.pop(), []):
                if child not in tree:
                    tree.add(child)
                    frontier.append(child)
        return tree

    def run(self) -> None:
        # the whole of /proc is scanned every 0.5 s to find new descendants; the known ones
        # are read every 0.1 s (a full scan at 10 Hz costs several percent of a core)
        tree: set[int] = set()
        while not self._stop_event.is_set():
            if self.samples % 5 == 0:
                tree = self._discover()
            stats = [self._read_stat(pid) for pid in tree]
            self.peak_kib = max(self.peak_kib, sum(s[1] for s in stats if s))
            self.samples += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(args: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    """Run a command, measuring wall time, tree memory, its CPU time and everyone else's."""
    busy0 = cpu_jiffies()
    load0 = os.getloadavg()[0]
    with log.open("w") as out:
        started = time.perf_counter()
        started_epoch = time.time()
        process = subprocess.Popen(
            args, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        monitor = TreeMemory(process.pid)
        monitor.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        ended_epoch = time.time()
        monitor.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
    busy1 = cpu_jiffies()
    ticks = os.sysconf("SC_CLK_TCK")
    own_cpu = usage.ru_utime + usage.ru_stime
    machine_busy = (busy1 - busy0) / ticks
    cpus = os.cpu_count() or 1
    return {
        "exit_code": process.returncode,
        "wall_seconds": round(wall, 3),
        "started_epoch": started_epoch,
        "ended_epoch": ended_epoch,
        "peak_rss_tree_gib": gib(monitor.peak_kib),
        "peak_rss_largest_process_gib": gib(usage.ru_maxrss),
        "memory_samples": monitor.samples,
        "cpu_seconds": round(own_cpu, 2),
        "other_cpu_share": round(max(0.0, (machine_busy - own_cpu) / (wall * cpus)), 3),
        "load_average_at_start": round(load0, 2),
        "log": str(log),
    }

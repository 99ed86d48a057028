"""The PostgreSQL dependency: a readiness probe that connects and runs `SELECT 1`."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from .config import Settings


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    detail: str


def probe_database(settings: Settings, timeout_seconds: int = 2) -> ProbeResult:
    """Connects with a short timeout; the detail names the failure class, never the password."""
    try:
        with psycopg.connect(
            host=settings.db_host,
            port=settings.db_port,
            dbname=settings.db_name,
            user=settings.db_user,
            password=settings.db_password,
            connect_timeout=timeout_seconds,
        ) as conn:
            conn.execute("SELECT 1").fetchone()
    except psycopg.Error as error:
        where = f"{settings.db_host}:{settings.db_port}/{settings.db_name}"
        return ProbeResult(False, f"{type(error).__name__}: cannot reach {where}")
    return ProbeResult(True, "ok")

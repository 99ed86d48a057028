from __future__ import annotations

import socket

from orders_service.config import Settings
from orders_service.database import probe_database


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_database_is_reported_without_the_password():
    password = "do-not-print-me"  # noqa: S105
    settings = Settings.from_env(
        {"DB_HOST": "127.0.0.1", "DB_PORT": str(closed_port()), "DB_NAME": "orders", "DB_PASSWORD": password}
    )
    result = probe_database(settings, timeout_seconds=1)
    assert result.ok is False
    assert result.detail.startswith("OperationalError: cannot reach 127.0.0.1:")
    assert password not in result.detail

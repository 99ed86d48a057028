"""Smoke tests, as the original design runs them after a deploy: `pytest tests/test_smoke.py -m critical`.

Target: `SMOKE_TARGET` is `production` (PRODUCTION_URL), `local` (LOCAL_URL, default
http://localhost:8000) or a URL. Without it the app runs in-process, so `pytest -m critical`
also works before anything is deployed; the database check then needs a live target.
Markers: `smoke` basic health, `critical` must pass after every deploy, `flaky` retried.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from orders_service.config import ENVIRONMENTS, Settings
from orders_service.main import create_app

REQUIRED_VARIABLES = ("SECRET_KEY", "DB_HOST", "DB_PORT", "DB_NAME")


def target_url() -> str | None:
    target = os.environ.get("SMOKE_TARGET", "")
    if target == "production":
        url = os.environ.get("PRODUCTION_URL")
        if not url:
            pytest.fail("SMOKE_TARGET is production but PRODUCTION_URL is not set")
        return url
    if target == "local":
        return os.environ.get("LOCAL_URL") or "http://localhost:8000"
    return target or None


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    url = target_url()
    if url:
        with httpx.Client(base_url=url, timeout=5.0) as live:
            yield live
    else:
        with TestClient(create_app(Settings.from_env())) as local:
            yield local


def with_retries(check: Callable[[], httpx.Response], attempts: int = 3, backoff: float = 0.5) -> httpx.Response:
    """Retries transient failures (connection errors, 5xx) with exponential backoff."""
    for attempt in range(1, attempts + 1):
        try:
            response = check()
            if response.status_code < 500 or attempt == attempts:
                return response
        except httpx.TransportError:
            if attempt == attempts:
                raise
        time.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


@pytest.mark.smoke
@pytest.mark.critical
def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.critical
def test_orders_api(client):
    response = client.get("/api/orders")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "orders" in response.json()


@pytest.mark.critical
def test_configuration():
    """Essential variables are set (names only are reported, never values)."""
    if target_url():
        missing = [name for name in REQUIRED_VARIABLES if not os.environ.get(name)]
        assert not missing, f"missing environment variables: {', '.join(missing)}"
        assert os.environ.get("ENVIRONMENT") in ENVIRONMENTS, f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)}"
    else:
        Settings.from_env()


@pytest.mark.critical
@pytest.mark.flaky
def test_database_ready(client):
    if not target_url():
        pytest.skip("the database is checked against a live target: set SMOKE_TARGET")
    response = with_retries(lambda: client.get("/ready"))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["database"] == "ok"

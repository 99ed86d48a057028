from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from orders_service.config import Settings
from orders_service.database import ProbeResult
from orders_service.main import create_app


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env({"ENVIRONMENT": "development", "DB_HOST": "db.internal", "DB_NAME": "orders"})


@pytest.fixture
def make_client(settings: Settings) -> Callable[[ProbeResult], TestClient]:
    """A client of the app whose database probe returns the given result."""

    def make(result: ProbeResult) -> TestClient:
        return TestClient(create_app(settings, database_probe=lambda: result))

    return make

"""HTTP API: /health (liveness), /ready (PostgreSQL reachable), /api/orders."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Response, status

from . import __version__
from .config import Settings
from .database import ProbeResult, probe_database
from .orders import SAMPLE_ORDERS, Order

DatabaseProbe = Callable[[], ProbeResult]


def create_app(settings: Settings | None = None, database_probe: DatabaseProbe | None = None) -> FastAPI:
    """Builds the app; tests inject settings and a probe, production reads the environment."""
    settings = settings or Settings.from_env()
    probe = database_probe or (lambda: probe_database(settings))
    app = FastAPI(title="orders-service", version=__version__)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__, "environment": settings.environment}

    @app.get("/ready")
    def ready(response: Response) -> dict[str, object]:
        result = probe()
        if not result.ok:
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return {"status": "ready" if result.ok else "not ready", "checks": {"database": result.detail}}

    @app.get("/api/orders")
    def list_orders() -> dict[str, list[Order]]:
        return {"orders": list(SAMPLE_ORDERS)}

    return app

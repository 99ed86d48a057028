from __future__ import annotations

from orders_service import __version__
from orders_service.database import ProbeResult


def test_health_reports_status_version_and_environment(make_client):
    response = make_client(ProbeResult(True, "ok")).get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "environment": "development"}


def test_health_does_not_depend_on_the_database(make_client):
    response = make_client(ProbeResult(False, "OperationalError: cannot reach db.internal:5432/orders")).get("/health")
    assert response.status_code == 200


def test_ready_when_the_database_answers(make_client):
    response = make_client(ProbeResult(True, "ok")).get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok"}}


def test_not_ready_when_the_database_is_unreachable(make_client):
    detail = "OperationalError: cannot reach db.internal:5432/orders"
    response = make_client(ProbeResult(False, detail)).get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "checks": {"database": detail}}


def test_orders_lists_the_order_book(make_client):
    response = make_client(ProbeResult(True, "ok")).get("/api/orders")
    assert response.status_code == 200
    orders = response.json()["orders"]
    assert [order["item"] for order in orders] == ["keyboard", "monitor"]
    assert all(set(order) == {"id", "item", "quantity"} for order in orders)

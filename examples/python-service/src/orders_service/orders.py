"""The one API resource: a small in-memory order book."""

from __future__ import annotations

from pydantic import BaseModel


class Order(BaseModel):
    id: int
    item: str
    quantity: int


SAMPLE_ORDERS = (
    Order(id=1, item="keyboard", quantity=2),
    Order(id=2, item="monitor", quantity=1),
)

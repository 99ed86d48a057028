"""`python -m orders_service` / `orders-service`: serve the API with uvicorn."""

from __future__ import annotations

import os

import uvicorn

from .main import create_app


def main() -> None:
    uvicorn.run(create_app(), host=os.environ.get("HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "8000")))  # noqa: S104


if __name__ == "__main__":
    main()

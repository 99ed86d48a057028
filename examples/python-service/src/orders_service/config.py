"""Configuration from the environment (a `.env` file is a copy of `.env.example`).

Every error names the variable and what it accepts; values are never echoed, because some of
them are secrets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ENVIRONMENTS = ("development", "production")


class ConfigError(ValueError):
    """A variable is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    environment: str
    production_url: str | None
    local_url: str
    db_host: str
    db_port: int
    db_name: str
    db_user: str | None
    db_password: str | None
    secret_key: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        environment = env.get("ENVIRONMENT", "development")
        if environment not in ENVIRONMENTS:
            raise ConfigError(f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)}")
        secret_key = env.get("SECRET_KEY", "")
        if environment == "production" and len(secret_key) < 16:
            raise ConfigError("SECRET_KEY must be set (16 characters or more) when ENVIRONMENT is production")
        return cls(
            environment=environment,
            production_url=env.get("PRODUCTION_URL") or None,
            local_url=env.get("LOCAL_URL") or "http://localhost:8000",
            db_host=env.get("DB_HOST") or "localhost",
            db_port=_port(env.get("DB_PORT") or "5432"),
            db_name=env.get("DB_NAME") or "orders",
            db_user=env.get("DB_USER") or None,
            db_password=env.get("DB_PASSWORD") or None,
            secret_key=secret_key,
        )


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError("DB_PORT must be a port number between 1 and 65535")
    return int(value)

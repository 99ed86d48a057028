from __future__ import annotations

import pytest

from orders_service.config import ConfigError, Settings


def test_defaults_follow_the_original_design():
    settings = Settings.from_env({})
    assert settings.environment == "development"
    assert settings.local_url == "http://localhost:8000"
    assert settings.production_url is None
    assert (settings.db_host, settings.db_port, settings.db_name) == ("localhost", 5432, "orders")


def test_reads_every_variable_of_env_example():
    settings = Settings.from_env(
        {
            "PRODUCTION_URL": "https://orders.example.com",
            "LOCAL_URL": "http://127.0.0.1:9000",
            "DB_HOST": "db",
            "DB_PORT": "6543",
            "DB_NAME": "shop",
            "SECRET_KEY": "s" * 32,
            "ENVIRONMENT": "production",
        }
    )
    assert settings.production_url == "https://orders.example.com"
    assert settings.local_url == "http://127.0.0.1:9000"
    assert (settings.db_host, settings.db_port, settings.db_name) == ("db", 6543, "shop")
    assert settings.environment == "production"


def test_unknown_environment_is_named_with_the_accepted_values():
    with pytest.raises(ConfigError, match="ENVIRONMENT must be one of development, production"):
        Settings.from_env({"ENVIRONMENT": "staging"})


def test_production_requires_a_secret_key_without_echoing_it():
    with pytest.raises(ConfigError, match="SECRET_KEY") as raised:
        Settings.from_env({"ENVIRONMENT": "production", "SECRET_KEY": "short-secret"})
    assert "short-secret" not in str(raised.value)


@pytest.mark.parametrize("port", ["abc", "0", "70000", "-1"])
def test_bad_db_port_is_rejected(port):
    with pytest.raises(ConfigError, match="DB_PORT must be a port number"):
        Settings.from_env({"DB_PORT": port})

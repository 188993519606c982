import pytest
from pydantic import ValidationError

from app.config import DEFAULT_SECRET_KEY, Settings

STRONG = "x" * 48


def test_settings_production_refuses_default_secret():
    with pytest.raises(ValidationError, match="TELEMENTOR_SECRET_KEY"):
        Settings(env="production", secret_key=DEFAULT_SECRET_KEY, base_url="https://echo.example.org")


def test_settings_production_refuses_plain_http_base_url():
    with pytest.raises(ValidationError, match="https"):
        Settings(env="production", secret_key=STRONG, base_url="http://echo.example.org")


def test_settings_production_accepts_strong_secret_and_https():
    settings = Settings(env="production", secret_key=STRONG, base_url="https://echo.example.org/")
    assert (settings.is_production, settings.base_url, settings.host) == (True, "https://echo.example.org", "echo.example.org")


def test_settings_development_never_uses_the_published_default_secret(tmp_path):
    settings = Settings(env="development", secret_key=DEFAULT_SECRET_KEY, data_dir=tmp_path)
    assert settings.secret_key != DEFAULT_SECRET_KEY and len(settings.secret_key) >= 32


def test_settings_read_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TELEMENTOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TELEMENTOR_BASE_URL", "https://hub.example.org")
    monkeypatch.setenv("TELEMENTOR_MAIL_FROM", "ECHO Hub <echo@example.org>")
    settings = Settings()
    assert (settings.base_url, settings.mail_from) == ("https://hub.example.org", "ECHO Hub <echo@example.org>")


def test_settings_unknown_default_timezone_refused():
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(default_timezone="Mars/Olympus")


def test_cli_serve_refuses_unsafe_production(monkeypatch, capsys):
    from app import cli
    from app.config import get_settings

    monkeypatch.setenv("TELEMENTOR_ENV", "production")
    monkeypatch.setenv("TELEMENTOR_BASE_URL", "https://hub.example.org")
    monkeypatch.delenv("TELEMENTOR_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["serve"])
    finally:
        get_settings.cache_clear()
    assert exit_info.value.code == 2
    assert "TELEMENTOR_SECRET_KEY must be set" in capsys.readouterr().err

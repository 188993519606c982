"""Settings, read from environment variables prefixed TELEMENTOR_ (and a .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-this-is-the-development-secret-key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TELEMENTOR_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///telementor.db"
    secret_key: str = DEFAULT_SECRET_KEY
    base_url: str = "http://localhost:8000"
    smtp_url: str | None = None
    mail_from: str = "Telementor <no-reply@localhost>"
    # ORGANIZER of every calendar event (empty: MAIL_FROM's address); calendars match updates by it.
    organizer_email: str = ""
    # Where messages go when no SMTP server is configured (one .eml file per message).
    mail_dir: Path = Path("mail-outbox")
    default_timezone: str = "America/New_York"
    # Failed logins allowed before the account is locked for a while (the lock grows).
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_seconds: int = Field(default=60, ge=1)
    api_token_hours: int = Field(default=12, ge=1)
    log_level: str = "INFO"
    # Worker processes for large certificate batches (a session's ZIP); unset: one per CPU, at
    # most 4; 0 or 1: render in the server process.
    pdf_workers: int | None = Field(default=None, ge=0)

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env != "production":
            return self
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            raise ValueError(
                "TELEMENTOR_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if not self.base_url.startswith("https://"):
            raise ValueError("TELEMENTOR_BASE_URL must be an https:// URL in production")
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def host(self) -> str:
        """Host part of the base URL, used in calendar UIDs and message ids."""
        return self.base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


@lru_cache
def get_settings() -> Settings:
    return Settings()

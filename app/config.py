"""Settings, read from environment variables prefixed TELEMENTOR_ (and a .env file)."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Published in earlier releases as the default: never accepted as a key (cookies signed with it
# would be forgeable by anyone who read the source).
DEFAULT_SECRET_KEY = "change-me-this-is-the-development-secret-key"
SECRET_KEY_FILE = "telementor-secret.key"
log = logging.getLogger("telementor.config")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TELEMENTOR_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///telementor.db"
    # Unset outside production: a key generated once per installation, kept in data_dir.
    secret_key: str = ""
    # Where the generated secret key is kept (unset: beside the SQLite file, else the working directory).
    data_dir: Path | None = None
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
    # "Forgot password" requests per hour, per e-mail address and per client address; sign-ups per
    # hour per client address.
    password_reset_per_email: int = Field(default=3, ge=1)
    password_reset_per_client: int = Field(default=20, ge=1)
    signup_per_client: int = Field(default=5, ge=1)
    log_level: str = "INFO"
    # Worker processes for large certificate batches (a session's ZIP); unset: one per CPU, at
    # most 4; 0 or 1: render in the server process.
    pdf_workers: int | None = Field(default=None, ge=0)
    # Zoom and Microsoft Teams (app/integrations): the platforms' addresses (tests point them at
    # local fakes), how long after a session's end its attendance report is waited for, and the
    # Secret Token of the Zoom app's event subscription (webhooks are refused while it is unset).
    zoom_api_url: str = "https://api.zoom.us/v2"
    zoom_oauth_url: str = "https://zoom.us/oauth/token"
    graph_api_url: str = "https://graph.microsoft.com/v1.0"
    ms_login_url: str = "https://login.microsoftonline.com"
    meeting_report_deadline_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    zoom_webhook_secret: str = ""
    # Sent e-mail is deleted by the worker after this many days (invites of sessions still to come
    # are kept: they record who was invited, for updates and cancellations).
    mail_retention_days: int = Field(default=90, ge=1)

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("zoom_api_url", "zoom_oauth_url", "graph_api_url", "ms_login_url")
    @classmethod
    def _platform_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("give an http(s):// address")
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
            if self.secret_key in ("", DEFAULT_SECRET_KEY):
                self.secret_key = self._installation_secret()
            return self
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            raise ValueError(
                "TELEMENTOR_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if not self.base_url.startswith("https://"):
            raise ValueError("TELEMENTOR_BASE_URL must be an https:// URL in production")
        return self

    def _installation_secret(self) -> str:
        from app.security import installation_secret

        path = self.secret_dir() / SECRET_KEY_FILE
        key = installation_secret(path)
        log.warning("TELEMENTOR_SECRET_KEY is not set: using the key generated for this installation in %s "
                    "(set TELEMENTOR_SECRET_KEY to share one key between servers)", path)
        return key

    def secret_dir(self) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        if self.database_url.startswith("sqlite:///") and ":memory:" not in self.database_url:
            return Path(self.database_url[len("sqlite:///"):]).parent
        return Path.cwd()

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

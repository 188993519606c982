# Telementor: one image for the web service and the worker (override CMD with `telementor worker`).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries (Pango, HarfBuzz) and a font; curl only for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 telementor
WORKDIR /srv/telementor

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install .

USER telementor
# Production mode: refuses to start without TELEMENTOR_SECRET_KEY and an https:// TELEMENTOR_BASE_URL.
# Proxy headers (X-Forwarded-For/-Proto) are trusted only from TELEMENTOR_FORWARDED_ALLOW_IPS.
ENV TELEMENTOR_ENV=production \
    TELEMENTOR_DATABASE_URL=sqlite:////srv/telementor/data/telementor.db \
    TELEMENTOR_MAIL_DIR=/srv/telementor/data/mail \
    TELEMENTOR_FORWARDED_ALLOW_IPS=127.0.0.1
RUN mkdir -p /srv/telementor/data
VOLUME ["/srv/telementor/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1

CMD ["sh", "-c", "telementor db upgrade && exec telementor serve --host 0.0.0.0 --port 8000 --forwarded-allow-ips=\"$TELEMENTOR_FORWARDED_ALLOW_IPS\""]

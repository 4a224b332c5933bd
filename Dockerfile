# Jeugdinkoop application image: the web app (gunicorn), and with another command the Celery
# worker and beat. Configuration comes only from environment variables (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (PDF output); gettext for compilemessages below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. The project installs no
# packages of its own (pyproject: packages = []); the code runs from /app.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Translations and static files are built into the image. Settings need these two variables to
# load; the build-time values are never used at run time.
RUN DJANGO_SECRET_KEY=build-only PSEUDONYM_KEY=build-only \
        python manage.py compilemessages -v 0 \
    && DJANGO_SECRET_KEY=build-only PSEUDONYM_KEY=build-only \
        python manage.py collectstatic --noinput -v 0

# Run as an unprivileged user; uploaded files live in /app/media (a volume in docker-compose.yml).
RUN useradd --system --uid 1000 --home-dir /app --no-create-home app \
    && mkdir -p /app/media /app/var/import-spool \
    && chown app:app /app/media /app/var/import-spool \
    && chmod 700 /app/var/import-spool
USER app

EXPOSE 8000
# Workers, threads, timeouts and the access log: config/gunicorn.conf.py (GUNICORN_* variables).
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]

# Runs the same thing as `make serve`: gunicorn with the production settings and
# WhiteNoise serving compressed, hashed static files collected at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=backrelief.settings.production \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
RUN useradd --create-home --uid 10001 backrelief

COPY pyproject.toml README.md ./
COPY backrelief ./backrelief
COPY techniques ./techniques
COPY routines ./routines
COPY editing ./editing
RUN pip install --upgrade pip && pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY docker-entrypoint.sh gunicorn.conf.py ./

# collectstatic needs settings to import but no real secret.
RUN SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media /app/data \
    && chown -R backrelief:backrelief /app/media /app/data

USER backrelief
ENV DATABASE_URL=sqlite:////app/data/db.sqlite3
EXPOSE 8000
ENTRYPOINT ["./docker-entrypoint.sh"]

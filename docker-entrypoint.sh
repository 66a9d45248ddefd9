#!/bin/sh
# The container's start: the same steps as `make serve`, without the virtual environment.
set -eu
python manage.py check --deploy --fail-level ERROR
python manage.py migrate --noinput
python manage.py load_content
exec gunicorn backrelief.wsgi:application --bind "${HOST}:${PORT}" --workers 2 --threads 2 --access-logfile -

#!/bin/sh
# The container's start: the same steps as `make serve`, without the virtual environment.
set -eu
python manage.py check --deploy --fail-level ERROR
python manage.py migrate --noinput
python manage.py load_content
# Draws any guide or page share card that is missing, e.g. after an upgrade; quick otherwise.
python manage.py render_share_cards
# Address, pool size, timeouts and logging are in gunicorn.conf.py, which reads HOST, PORT,
# WEB_CONCURRENCY and GUNICORN_THREADS.
exec gunicorn -c gunicorn.conf.py backrelief.wsgi:application

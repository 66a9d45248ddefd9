#!/bin/sh
# The container's start: the same steps as `make serve`, without the virtual environment.
set -eu
python manage.py check --deploy --fail-level ERROR
python manage.py migrate --noinput
python manage.py load_content
# Address, pool size, timeouts and logging are in gunicorn.conf.py, which reads HOST, PORT,
# WEB_CONCURRENCY and GUNICORN_THREADS.
exec gunicorn -c gunicorn.conf.py backrelief.wsgi:application

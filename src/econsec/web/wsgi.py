"""WSGI entry point for production servers: ``gunicorn econsec.web.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "econsec.web.settings")
application = get_wsgi_application()

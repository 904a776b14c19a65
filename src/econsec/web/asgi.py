"""ASGI entry point: ``granian --interface asgi econsec.web.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "econsec.web.settings")
application = get_asgi_application()

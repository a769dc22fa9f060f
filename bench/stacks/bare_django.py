"""Django with no middleware behind the same ASGI-to-WSGI bridge as momentum.asgi (momentum/lib/wsgi_bridge.py)."""

from __future__ import annotations

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.stacks.bare_settings"

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from momentum.lib.wsgi_bridge import WsgiBridge

application = WsgiBridge(get_wsgi_application(), workers=settings.WEB_THREADS)

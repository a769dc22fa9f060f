from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from momentum.sitesettings.queries import site_name

    return {"site_name": site_name(), "momentum_env": settings.MOMENTUM_ENV}

"""Momentum's settings with no middleware, no app and one URL: Django's own cost for a trivial view."""

from momentum.settings import *  # noqa: F403

INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "bench.stacks.bare_urls"

"""The catalogue's API: one router, whose operations live in two modules.

``public`` holds what learners and visitors call (categories, course lists and details,
lessons); ``admin`` holds course and lesson authoring. They share paths such as
``/courses/{course}``, so they must share the router.
"""

from ninja import Router

router = Router(tags=["catalogue"])

from momentum.catalog.api import admin, public  # noqa: E402, F401  (registers their operations)

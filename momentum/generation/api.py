"""The generation app's API operations (mounted under /api/v1 by momentum/api.py)."""

from ninja import Router

router = Router(tags=["generation"])

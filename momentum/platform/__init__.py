"""What every app leans on and that is not a domain: durable workflows (``durable``), problem+json
for the API (``api_problems``) and for pages (``errors``), the request pipeline's middleware (request
IDs, framing, limits, security headers), idempotent writes and caching by database revision.

The platform imports no domain app and not the project package (an import-linter contract says
so): where it needs an app (a metric to count, a bearer token to read), the app installs a hook
when it is ready (``meters``, ``request_limits.read_bearer_tokens_with``). Apps that need the
project's API object while answering ask ``project_api``, where momentum/api.py registers it.
"""

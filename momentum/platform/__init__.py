"""What every app leans on and that is not a domain: durable workflows (``durable``), problem+json
for the API (``api_problems``) and for pages (``errors``), the request pipeline's middleware (request
IDs, framing, limits, security headers), idempotent writes and caching by database revision.

The platform imports no domain app (an import-linter contract says so): where it needs one (a
metric to count, a bearer token to read), the app installs a hook when it is ready. Apps reach the
project package (settings, URLs, the API object) only through here.
"""

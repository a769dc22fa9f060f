"""The platform: what every app leans on and that is not a domain (idempotency, caching by revision,
the middleware, request limits, security headers, durable workflows, API problems)."""

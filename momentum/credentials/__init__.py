"""Credentials anyone can verify: certificates, their public check page and PDF, Open Badges 3.0."""

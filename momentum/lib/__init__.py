"""Helpers that know nothing of Momentum's domain."""

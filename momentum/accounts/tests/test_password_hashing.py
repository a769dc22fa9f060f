"""Passwords are hashed with Argon2id at OWASP's recommended cost, and older hashes still work."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

from momentum.accounts.passwords import MomentumArgon2PasswordHasher

PASSWORD = "Correct-horse-42!"


def test_new_hashes_use_19_mib_two_passes_and_one_lane() -> None:
    hasher = MomentumArgon2PasswordHasher()

    encoded = hasher.encode(PASSWORD, hasher.salt())

    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify(PASSWORD, encoded)
    assert not hasher.verify("wrong-horse-42!", encoded)


def test_a_hash_made_with_djangos_default_cost_verifies_and_is_due_for_an_update() -> None:
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    hasher = MomentumArgon2PasswordHasher()

    assert hasher.verify(PASSWORD, old)
    assert hasher.must_update(old)

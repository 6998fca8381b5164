"""Password hashing: Argon2id with the parameters OWASP's Password Storage Cheat Sheet gives as its
first recommendation (19 MiB of memory, 2 iterations, 1 lane).

Django's own Argon2 defaults (100 MiB, 8 lanes) and its PBKDF2 default (1,000,000 iterations) both
cost 0.15-0.3 s of CPU per login on our 2-core machines; on the last day of a window hundreds of
applicants log in within minutes and those logins alone saturated the CPU in the deadline-rush load
test. OWASP's parameters are memory-hard at about 20 ms. Hashes made with PBKDF2 (older accounts)
still verify and are re-hashed with these parameters at the next successful login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idPasswordHasher(Argon2PasswordHasher):
    """Same algorithm name as Django's, so hashes stay readable by a stock Argon2 hasher."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

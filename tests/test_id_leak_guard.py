"""The guard that fails the run when a full ID number reaches the logs can itself detect one."""

from __future__ import annotations

import logging

from tests.factories import make_id_number
from tests.id_leak_guard import LeakHandler, valid_id_numbers


def test_it_finds_a_valid_id_number_in_text_but_not_other_long_numbers():
    number = make_id_number()
    assert valid_id_numbers(f"user {number} logged in") == [number]
    assert valid_id_numbers("order 123456789012345678 and time 20261123113000123") == []
    assert valid_id_numbers(f"masked {number[:3]}***********{number[-4:]}") == []


def test_it_records_a_log_line_that_carries_an_id_number():
    handler = LeakHandler()
    logger = logging.getLogger("zc.test.leak")
    logger.addHandler(handler)
    logger.propagate = False  # keep the suite-wide guard from seeing this deliberate leak
    try:
        logger.warning("login failed for %s", make_id_number())
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert len(handler.leaks) == 1

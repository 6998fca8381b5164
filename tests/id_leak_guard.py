"""A guard over the whole suite: no log record may carry a full 18-digit ID number.

Installed as a pytest plugin by conftest.py: a handler on the root logger sees every record that
the flows under test emit (requests, services, the live server, Celery in eager mode); the
worker processes' logs are scanned at the end. A leak fails the run.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from core.idnumbers import id_check_char

CANDIDATE = re.compile(r"(?<![0-9])([1-8][0-9]{16}[0-9Xx])(?![0-9])")


def valid_id_numbers(text: str) -> list[str]:
    return [m for m in CANDIDATE.findall(text) if id_check_char(m[:17]) == m[17].upper()]


class LeakHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken format string is not what this guard looks for
            text = str(record.msg)
        if record.exc_text:
            text += record.exc_text
        for number in valid_id_numbers(text):
            self.leaks.append(f"{record.name}: …{number[:3]}…{number[-4:]} in {text[:120]!r}")


HANDLER = LeakHandler()


def pytest_configure(config) -> None:
    logging.getLogger().addHandler(HANDLER)
    logging.getLogger().setLevel(min(logging.getLogger().level or logging.INFO, logging.INFO))


def pytest_sessionfinish(session, exitstatus) -> None:
    logging.getLogger().removeHandler(HANDLER)
    for log_file in (Path(__file__).resolve().parent.parent / "var").glob("celery-*.log"):
        for number in valid_id_numbers(log_file.read_text(errors="replace")):
            HANDLER.leaks.append(f"{log_file.name}: …{number[:3]}…{number[-4:]}")
    if HANDLER.leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("FAILED id-leak guard: full ID numbers appeared in log output:", red=True)
            for leak in HANDLER.leaks[:20]:
                reporter.write_line(f"  {leak}", red=True)
        session.exitstatus = 1

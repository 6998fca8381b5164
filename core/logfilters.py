"""Log filters that keep secrets out of log lines (no Django imports: loaded with LOGGING)."""

from __future__ import annotations

import logging
import re

TOKEN_PATTERN = re.compile(r"zc_[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{20,}")


class TokenLogFilter(logging.Filter):
    """Masks anything that looks like an API token secret (``zc_…``) in a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "zc_" in message and TOKEN_PATTERN.search(message):
            record.msg = TOKEN_PATTERN.sub("zc_***", message)
            record.args = ()
        return True

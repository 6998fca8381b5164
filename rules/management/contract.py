"""Shared behaviour of the contract commands: one JSON object on stdout; on bad input exit 2
with one line on stderr naming the offending argument or field — never a traceback."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser


class BadInputError(Exception):
    """Raised inside ``run``; becomes exit status 2 with the message on one line."""


class _OneLineParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}")
        # argparse would print the usage block too; the contract asks for one line.
        sys.stderr.write(f"{self.prog}: {message}\n")
        sys.exit(2)


class ContractCommand(BaseCommand):
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        return parser

    def run(self, **options: Any) -> dict[str, Any]:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = self.run(**options)
        except BadInputError as exc:
            sys.stderr.write(" ".join(str(exc).split()) + "\n")
            sys.exit(2)
        except Exception as exc:
            sys.stderr.write(f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}\n")
            sys.exit(1)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

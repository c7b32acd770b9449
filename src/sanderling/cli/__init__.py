"""The ``sanderling`` command line: one typer app, one module per command group."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Sanderling: code news articles into PLOVER political event records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each module adds its commands to ``app`` (or a sub-app) when imported.
    from sanderling.cli import actors_cmd, code_cmd, store_cmd  # noqa: F401


def main() -> None:
    _register()
    app()

"""The `pgmtui` command. `main.py` parses and dispatches; each area's commands live in a module
of their own and register with `pgmtui.cli.base.command` (importing the module registers them).

To add a command: write `@command("name", "help", arguments=...)` on `run(store, args) -> int`
in an area module, and import that module below (the order here is the order of `--help`)."""

# isort: off
from pgmtui.cli import records  # noqa: F401 - importing registers the commands
from pgmtui.cli import reports  # noqa: F401
from pgmtui.cli import finance  # noqa: F401
from pgmtui.cli import exchange  # noqa: F401
from pgmtui.cli import stakeholders  # noqa: F401
from pgmtui.cli import serve  # noqa: F401
from pgmtui.cli import governance  # noqa: F401
from pgmtui.cli import resources  # noqa: F401
from pgmtui.cli import trend  # noqa: F401
from pgmtui.cli import followup  # noqa: F401

# isort: on
from pgmtui.cli.main import build_parser, main

__all__ = ["build_parser", "main"]

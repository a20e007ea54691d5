"""The terminal front end: the shared slash commands typed at a prompt or read from a script."""

from adapters.terminal.chat import TerminalChat
from adapters.terminal.console import TerminalConsole
from adapters.terminal.directory import TerminalDirectory

__all__ = ["TerminalChat", "TerminalConsole", "TerminalDirectory"]

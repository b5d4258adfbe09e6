"""What every command shares: exit codes (ruff's) and the usage error."""

from __future__ import annotations

# 0 nothing found, 1 an error or warning found, 2 usage, configuration or I/O error.
EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake (a missing path, ...): reported in one line, exit code 2."""

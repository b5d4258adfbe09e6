"""Hardening tests (issue 8): bad input, hostile workspaces and faults never break the editor."""

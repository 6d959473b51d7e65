"""Errors told in one line: the first line of an exception's message, else its type's name.

A user error, a source switched off, a network that fails to compile: each is reported as one line,
never a traceback (the standard every command keeps). Imports nothing of the package.
"""
from __future__ import annotations


def first_line(e: BaseException) -> str:
    """The first line of `e`'s message, or its class name when the message is empty."""
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__

"""Argument types shared by the benchmark scripts.

The scripts run as ``python benchmarks/NAME.py``, so this folder is first on ``sys.path`` and they
import this module as ``arguments``.
"""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1, so that no benchmark ends on an empty list of times.

    Raises:
        argparse.ArgumentTypeError: The text is not an integer, or it is below 1.
    """
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from error
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value

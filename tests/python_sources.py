"""Our Python files as syntax trees, for the tests that read the code itself (architecture rules)."""

from __future__ import annotations

import ast
from pathlib import Path


def parse(path: Path) -> ast.Module:
    """The file's syntax tree. CPython 3.11 counts the depth of the tree it builds in a counter the
    whole interpreter shares, and another thread building a tree at the same time (a workflow
    thread of the test worker) can leave it unbalanced: ``SystemError: AST constructor recursion
    depth mismatch`` (python/cpython#106905; seen once in a full run). The source is parsed again then."""
    source = path.read_text()
    for attempt in range(3):
        try:
            return ast.parse(source, filename=str(path))
        except SystemError as error:
            if "recursion depth mismatch" not in str(error) or attempt == 2:
                raise
    raise AssertionError("unreachable")

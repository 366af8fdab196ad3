"""The shape of the code: every function simple enough to read (radon's cyclomatic
complexity at most 15), in every package but the tests."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Function

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("forecasts", "db", "tui", "cli")
LIMIT = 15


def _functions(blocks):
    for block in blocks:
        if isinstance(block, Function):
            yield block
            yield from _functions(block.closures)


def test_no_function_is_more_complex_than_the_limit() -> None:
    too_complex = [
        f"{path.relative_to(ROOT)}:{function.lineno} {function.fullname} ({function.complexity})"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for function in _functions(cc_visit(path.read_text(encoding="utf-8")))
        if function.complexity > LIMIT
    ]
    assert too_complex == []


def test_the_check_sees_a_complex_function() -> None:
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(LIMIT + 1))
    (function,) = _functions(cc_visit(f"def f(x):\n{branches}\n    return -1\n"))
    assert function.complexity == LIMIT + 2

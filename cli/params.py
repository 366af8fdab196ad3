"""Text, flag and whole-number parameters read without Pydantic. Typer checks every
parameter's value with a Pydantic type adapter that it builds on first use; importing
Pydantic and building the adapters costs about a tenth of a second on every command.

A text parameter with no parser of its own receives text from the command line and keeps it
as it is; a flag that is already true or false stays so; a whole number written in plain
digits, within the parameter's bounds, is that number. That is what the adapter returns for
them, so those cases are answered here. Every other value (a number out of bounds, "1e3",
bytes from an unusual caller) still goes to Typer's adapter, which accepts or refuses it
with its own message.

The hook sits on one private method of Typer (pinned below 0.30 in pyproject.toml);
``tests/cli/test_startup.py`` checks that a command's help and the read commands load no
Pydantic, and ``tests/cli/test_params.py`` that the values reaching the commands are the
adapter's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from typer import core
from typer._coercion import RuntimeParam

_DIGITS = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class _Plain(RuntimeParam):
    """A text, flag or whole-number parameter: a plain value is taken as it is; anything
    else goes to Typer's own adapter."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        plain = self._plain(value)
        if plain is not None:
            return plain
        return core.build_runtime_param(param.type_descriptor)._coerce_value(value, param, ctx)

    def _plain(self, value: Any) -> Any:
        if self.annotation is not int:
            return value if type(value) is self.annotation else None
        if type(value) is int:
            number = value
        elif isinstance(value, str) and _DIGITS.fullmatch(value):
            number = int(value)
        else:
            return None
        low, high = self.parameter_info.min, self.parameter_info.max
        if (low is not None and number < low) or (high is not None and number > high):
            return None  # the adapter refuses it (or clamps it) in its own words
        return number


def _runtime_param(self: Any) -> RuntimeParam:
    if self._runtime_param is None:
        descriptor = self.type_descriptor
        info = descriptor.parameter_info
        plain = descriptor.annotation in (str, bool, int)
        if plain and descriptor.file_annotation is None and info.parser is None:
            self._runtime_param = _Plain(parameter_info=info, annotation=descriptor.annotation)
        else:
            self._runtime_param = core.build_runtime_param(descriptor)
    return self._runtime_param


def install() -> None:
    """Read text, flag and whole-number parameters without Pydantic, from now on."""
    core._TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]

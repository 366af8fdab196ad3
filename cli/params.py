"""Text and flag parameters read without Pydantic. Typer checks every parameter's value with
a Pydantic type adapter that it builds on first use; importing Pydantic and building the
adapters costs about a tenth of a second on every command. A text parameter with no parser
of its own receives text from the command line and keeps it as it is, and a flag that is
already true or false stays so, which is what the adapter would return: those cases are
answered here, every other one still goes to Typer's adapter.

The hook sits on one private method of Typer (pinned below 0.30 in pyproject.toml);
``tests/cli/test_startup.py`` checks that a command's help loads no Pydantic, and the
command-line tests check the values that reach the commands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typer import core
from typer._coercion import RuntimeParam


@dataclass(frozen=True)
class _Plain(RuntimeParam):
    """A text or flag parameter: a value already of its type is the value. Anything else
    (bytes from an unusual caller, "yes" for a flag) goes to Typer's own adapter."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is self.annotation:
            return value
        return core.build_runtime_param(param.type_descriptor)._coerce_value(value, param, ctx)


def _runtime_param(self: Any) -> RuntimeParam:
    if self._runtime_param is None:
        descriptor = self.type_descriptor
        info = descriptor.parameter_info
        plain = descriptor.annotation in (str, bool)
        if plain and descriptor.file_annotation is None and info.parser is None:
            self._runtime_param = _Plain(parameter_info=info, annotation=descriptor.annotation)
        else:
            self._runtime_param = core.build_runtime_param(descriptor)
    return self._runtime_param


def install() -> None:
    """Read text and flag parameters without Pydantic, from now on, in this process."""
    core._TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]

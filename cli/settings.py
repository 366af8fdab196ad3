"""The user's configuration file: the default verbal scale and their own phrases.

It lives in the user config folder (``forecasts config path`` prints it); the
``FORECASTS_CONFIG`` environment variable points elsewhere. A missing file means defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path

from forecasts.errors import InvalidInput
from forecasts.verbal import CONFIG_TEMPLATE, Settings, parse_settings

ENV_VAR = "FORECASTS_CONFIG"


def config_path() -> Path:
    """Where the configuration file is read from."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    return user_config_path("forecasts", appauthor=False) / "config.toml"


def load_settings(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: :func:`config_path`); defaults when it is missing."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except UnicodeDecodeError:
        raise InvalidInput("config", str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput("config", str(path), f"cannot be read: {exc.strerror}") from None
    return parse_settings(text, str(path))


def write_template(path: Path | None = None) -> Path:
    """Create a commented configuration file; an existing one is left as it is."""
    path = path or config_path()
    if path.exists():
        raise InvalidInput("config", str(path), "exists already; edit it instead")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    return path

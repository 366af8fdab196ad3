"""The forecasts domain: questions, forecasters, sources, forecasts and resolutions.

Pure: this package imports only the standard library, numpy and pydantic. It does no I/O.
"""

from __future__ import annotations

__version__ = "0.1.0"

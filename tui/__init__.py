"""The interfaces of forecasts: the Textual app and the ``forecasts`` command line."""

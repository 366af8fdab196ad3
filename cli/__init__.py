"""The command line: the `forecasts` command (Typer) and its printer."""

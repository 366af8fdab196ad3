"""Persistence for forecasts: SQLModel tables, the engine factory, Alembic migrations and the
repository, which is the only writer. Knows the domain package, never the interfaces."""

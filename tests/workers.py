"""Work done in a child process by the crash and race tests: ``python -m tests.workers JOB
DB [ARGS]``. Each job prints ``ready`` once its imports are done, waits for a go file where
one is named (so four children start together), and prints what it committed as it commits
it, flushed, so a test that kills it knows every write that was reported."""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta


def _wait_for(go: str | None) -> None:
    print("ready", flush=True)
    if go is None:
        return
    while not os.path.exists(go):
        time.sleep(0.001)


def main(argv: list[str]) -> None:
    job, url, *rest = argv
    go = os.environ.get("FORECASTS_TEST_GO")
    import alembic.command  # noqa: F401  (imported before ready: a kill lands in the work)

    from db.repository import Repository

    if job == "open":
        _wait_for(go)
        Repository.open(url)
        print("opened", flush=True)
    elif job == "upgrade":
        from db.engine import make_engine
        from db.migrate import upgrade

        engine = make_engine(url)
        _wait_for(go)
        upgrade(engine)
        print("upgraded", flush=True)
    elif job == "seed":
        from db.seed import load_corpus, seed

        corpus = load_corpus()
        repository = Repository.open(url)
        _wait_for(go)
        print(f"seeded {seed(repository, corpus).total}", flush=True)
    elif job == "forecasts":
        _forecast_loop(Repository.open(url), int(rest[0]), go)
    elif job == "import":
        from pathlib import Path

        from db.importer import import_file

        repository = Repository.open(url)
        _wait_for(go)
        import_file(repository, Path(rest[0]))
        print("imported", flush=True)
    elif job == "cli":
        from cli.app import main as cli_main

        _wait_for(go)
        cli_main(["--db", url.removeprefix("sqlite:///"), *rest])
    else:
        raise SystemExit(f"unknown job {job}")


def _forecast_loop(repository, count: int, go: str | None) -> None:
    """Log forecasts on every question in turn (binary and multiple choice), printing each
    id once it is committed."""
    from forecasts.drafts import ForecastDraft

    questions = [q.question for q in repository.list_questions()]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    _wait_for(go)
    for index in range(count):
        question = questions[index % len(questions)]
        made_at = min(start + timedelta(minutes=index), question.close_at)
        if question.options:
            share = 1.0 / len(question.options)
            values = [share] * (len(question.options) - 1)
            values.append(1.0 - sum(values))
            draft = ForecastDraft(
                question_id=question.id, probabilities=tuple(values), made_at=made_at
            )
        else:
            draft = ForecastDraft(
                question_id=question.id, probability=(index % 97) / 97, made_at=made_at
            )
        forecast = repository.log_forecast(draft)
        print(f"forecast {forecast.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

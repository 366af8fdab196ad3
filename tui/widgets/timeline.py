"""A timeline of each forecaster's standing probability on a question, drawn with plotext."""

from __future__ import annotations

from datetime import datetime

from textual_plotext import PlotextPlot

from forecasts.models import Forecast, Question, QuestionKind
from forecasts.text import one_line


class Timeline(PlotextPlot):
    """Step lines: each forecast stands until the same forecaster's next one."""

    DEFAULT_CSS = """
    Timeline {
        height: 14;
        min-height: 10;
    }
    """

    def show(
        self,
        question: Question,
        forecasts: tuple[Forecast, ...],
        names: dict[int, str],
        *,
        until: datetime,
        option: int = 0,
    ) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if not forecasts:
            plt.title("No forecasts yet")
            self.refresh()
            return
        start = min(f.made_at for f in forecasts)
        end = max(until, max(f.made_at for f in forecasts))
        span = max((end - start).total_seconds() / 86400, 1.0)

        def x(moment: datetime) -> float:
            return (moment - start).total_seconds() / 86400

        by_forecaster: dict[int, list[Forecast]] = {}
        for forecast in forecasts:
            by_forecaster.setdefault(forecast.forecaster_id, []).append(forecast)
        for forecaster_id, made in by_forecaster.items():
            xs: list[float] = []
            ys: list[float] = []
            for i, forecast in enumerate(made):
                value = forecast.vector(question)[option] * 100
                stop = made[i + 1].made_at if i + 1 < len(made) else end
                xs += [x(forecast.made_at), x(stop)]
                ys += [value, value]
            plt.plot(xs, ys, label=one_line(names.get(forecaster_id, "?"), 28), marker="braille")
        plt.ylim(0, 100)
        ticks = [0, span / 2, span]
        labels = [
            (start + (end - start) * fraction).strftime("%Y-%m-%d") for fraction in (0, 0.5, 1)
        ]
        plt.xticks(ticks, labels)
        plt.yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        what = (
            "probability of yes"
            if question.kind is QuestionKind.BINARY
            else f"probability of {one_line(question.options[option], 30)!r}"
        )
        plt.title(f"Standing forecasts over time ({what})")
        self.refresh()

"""The reliability diagram in the terminal: each bucket's observed frequency against its mean
forecast with the 90% interval, the CORP reliability curve, and the diagonal of perfect
calibration."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from forecasts.scoring import Calibration


class ReliabilityDiagram(PlotextPlot):
    DEFAULT_CSS = """
    ReliabilityDiagram {
        min-height: 16;
        min-width: 40;
    }
    """

    def show(self, cal: Calibration, subject: str) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.plot([0, 100], [0, 100], color="gray", label="perfect")
        if cal.n:
            xs = [float(x) * 100 for x in cal.corp_x]
            ys = [float(y) * 100 for y in cal.corp_y]
            step_x: list[float] = []
            step_y: list[float] = []
            for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
                step_x += [x, xs[i + 1] if i + 1 < len(xs) else x]
                step_y += [y, y]
            plt.plot(step_x, step_y, color="cyan", label="CORP curve")
            filled = [i for i in range(11) if cal.count[i] > 0]
            for i in filled:
                x = float(cal.mean_forecast[i]) * 100
                plt.plot(
                    [x, x],
                    [float(cal.observed_low[i]) * 100, float(cal.observed_high[i]) * 100],
                    color="orange",
                )
            plt.scatter(
                [float(cal.mean_forecast[i]) * 100 for i in filled],
                [float(cal.observed[i]) * 100 for i in filled],
                color="orange",
                marker="o",
                label="buckets (90% interval)",
            )
        plt.xlim(0, 100)
        plt.ylim(0, 100)
        plt.xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        plt.yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        plt.xlabel("forecast")
        plt.ylabel("observed")
        plt.title(f"Reliability: {subject}")
        self.refresh()

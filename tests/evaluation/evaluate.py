"""Measure detection against the hand marks in ``marks/``: precision, recall and hits in
page furniture, for each set and kind of text.

    python tests/evaluation/evaluate.py TEXTS [SET ...] [--verbose]

TEXTS holds one plain-text file per source, ``TEXTS/<set>/<name>.txt``, saved from the
address ``sources.tsv`` gives. The texts are third parties' and are not kept here; the
marks quote a few words of each to say where a judgment or a furniture line stands, so a
text saved again must contain them (a mark that cannot be found stops the run, naming it).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from forecasts.detect import scan
from forecasts.furniture import find_furniture

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Marked:
    name: str
    kind: str
    text: str
    judgments: tuple[tuple[int, int, str], ...]
    furniture: tuple[tuple[int, int], ...]


def _position(text: str, needle: str, where: str) -> int:
    at = text.find(needle)
    if at < 0:
        raise SystemExit(f"evaluate: {where}: {needle!r} is not in the text")
    return at


def load(texts: Path, name: str, kind: str, marks: Path) -> Marked:
    """A source's text and its marks: ``CONTEXT|PHRASE`` for a judgment (the phrase as it
    stands inside the context), ``F|LINE`` for a furniture line, ``#kind`` first."""
    text = (texts / f"{name}.txt").read_text(encoding="utf-8")
    judgments: list[tuple[int, int, str]] = []
    furniture: list[tuple[int, int]] = []
    for line in marks.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        left, right = line.split("|", 1)
        if left == "F":
            start = _position(text, right, f"{marks}, furniture")
            furniture.append((start, start + len(right)))
        else:
            start = _position(text, left, str(marks)) + _position(left, right, str(marks))
            judgments.append((start, start + len(right), right))
    return Marked(name, kind, text, tuple(judgments), tuple(furniture))


def measure(source: Marked, verbose: bool) -> Counter[str]:
    """Detections on a marked judgment, all detections, marked judgments found, marked
    judgments, and detections in a furniture line."""
    tally: Counter[str] = Counter()
    found: set[tuple[int, int, str]] = set()
    for detection in scan(source.text, find_furniture(source.text)):
        start, end = detection.phrase_start, detection.phrase_end
        hits = {m for m in source.judgments if m[0] < end and start < m[1]}
        in_furniture = any(a <= start < b for a, b in source.furniture)
        tally["detections"] += 1
        tally["right"] += bool(hits)
        tally["in furniture"] += in_furniture
        found |= hits
        if verbose and (not hits or in_furniture):
            print(f"  extra  {source.name}: {detection.phrase!r} in {detection.sentence[:100]!r}")
    for mark in source.judgments:
        if verbose and mark not in found:
            print(f"  missed {source.name}: {mark[2]!r}")
    tally["found"] += len(found)
    tally["marked"] += len(source.judgments)
    return tally


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else f"{a}/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("texts", type=Path)
    parser.add_argument("sets", nargs="*")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    with (HERE / "sources.tsv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    chosen = options.sets or sorted({row["set"] for row in rows})
    for name in chosen:
        tallies: dict[str, Counter[str]] = {}
        for row in rows:
            if row["set"] != name:
                continue
            marks = HERE / "marks" / name / f"{row['name']}.marks"
            source = load(options.texts / name, row["name"], row["kind"], marks)
            tallies.setdefault(row["kind"], Counter()).update(measure(source, options.verbose))
        for kind, t in sorted(tallies.items()):
            print(
                f"{name:6} {kind:9} precision {_ratio(t['right'], t['detections'])}  "
                f"recall {_ratio(t['found'], t['marked'])}  in furniture {t['in furniture']}"
            )


if __name__ == "__main__":
    main()

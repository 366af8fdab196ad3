"""The evaluation set stays whole (every source has its marks, of its kind) and the
measuring script counts as its description says, checked on a text written for the test."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).parent


def _evaluate():
    spec = importlib.util.spec_from_file_location("evaluate", HERE / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("evaluate", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_source_has_its_marks_and_every_marks_file_a_source() -> None:
    with (HERE / "sources.tsv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    listed = {(row["set"], row["name"]): row["kind"] for row in rows}
    files = {(path.parent.name, path.stem): path for path in (HERE / "marks").glob("*/*.marks")}
    assert set(listed) == set(files)
    assert len(listed) == len(rows)  # no source listed twice
    for key, path in files.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"#{listed[key]}", path
        assert all("|" in line for line in lines[1:] if line.strip()), path
        assert rows[[(r["set"], r["name"]) for r in rows].index(key)]["address"].startswith("http")


def test_the_script_counts_right_extra_missed_and_furniture(tmp_path: Path) -> None:
    evaluate = _evaluate()
    text = (
        "A deal is likely by June.\n"
        "MORE: A summit is likely too\n"
        "Rain is expected.\n"
        "The talks could fail.\n"
    )
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    marks = tmp_path / "one.marks"
    marks.write_text(
        "#news\n"
        "A deal is likely|likely\n"  # found
        "The talks could fail|could\n"  # found
        "Rain is expected|Rain is\n"  # overlaps "is expected": found
        "F|MORE: A summit is likely too\n",
        encoding="utf-8",
    )
    source = evaluate.load(tmp_path, "one", "news", marks)
    tally = evaluate.measure(source, verbose=False)
    # the furniture line is skipped by detection, so three detections, all on a mark
    assert dict(tally) == {"detections": 3, "right": 3, "in furniture": 0, "found": 3, "marked": 3}

    marks.write_text("#news\nA deal is likely|likely\n", encoding="utf-8")
    tally = evaluate.measure(evaluate.load(tmp_path, "one", "news", marks), verbose=False)
    # without the furniture mark: the link line is still furniture to detection, and the two
    # unmarked detections ("is expected", "could") are extras
    assert (tally["detections"], tally["right"], tally["found"], tally["marked"]) == (3, 1, 1, 1)

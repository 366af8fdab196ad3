"""The path of a file dropped into a terminal, as terminals paste it."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.sources import dropped_path


@pytest.mark.parametrize(
    ("pasted", "path"),
    [
        ("'/home/me/Saved pages/herald.html'", "/home/me/Saved pages/herald.html"),
        ('"/home/me/Saved pages/herald.html"', "/home/me/Saved pages/herald.html"),
        ("/home/me/Saved\\ pages/herald\\ \\(1\\).html", "/home/me/Saved pages/herald (1).html"),
        ("file:///home/me/Saved%20pages/herald.html", "/home/me/Saved pages/herald.html"),
        ("  /tmp/article.txt \n", "/tmp/article.txt"),
    ],
)
def test_a_dropped_file_is_the_file_it_names(pasted: str, path: str) -> None:
    assert dropped_path(pasted) == Path(path)


def test_a_home_folder_path_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert dropped_path("~/page.html") == tmp_path / "page.html"

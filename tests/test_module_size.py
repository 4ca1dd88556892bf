"""Modules small enough to read in one sitting (STYLE.md, issue 17): no Python module of the
application, its tests or the benchmarks is over 400 lines. Migrations are generated and exempt.
A module that grows past it is split by what it holds, not trimmed."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
CHECKED = ("hqzt", "tests", "bench")


def modules_over(limit: int, root: Path = ROOT) -> list[tuple[str, int]]:
    over = []
    for folder in CHECKED:
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            with path.open("rb") as f:
                lines = sum(1 for _ in f)
            if lines > limit:
                over.append((str(path.relative_to(root)), lines))
    return over


def test_no_module_is_over_400_lines():
    over = modules_over(MAX_LINES)
    assert not over, "over 400 lines: " + ", ".join(f"{name} ({n})" for name, n in over)


def test_the_check_names_an_offender(tmp_path):
    (tmp_path / "hqzt" / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "tests").mkdir()
    (tmp_path / "bench").mkdir()
    (tmp_path / "hqzt" / "app" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "hqzt" / "app" / "short.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "hqzt" / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 999)
    assert modules_over(MAX_LINES, tmp_path) == [("hqzt/app/long.py", MAX_LINES + 1)]

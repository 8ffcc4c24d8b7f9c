"""Black's style is the contract for generated code: every formatted file is proven black-stable.

The generator formats with ruff's formatter (generator/format.py), which writes black's style; where
the two would disagree, the view lays the code out the way both keep (view/layout.py). This check is
the proof: `black --check` over the package's formatted files, with black's own cache so an unchanged
tree costs little, and black over the Python examples of its Markdown files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import children
from ..fileset import FileSet
from ..format import LINE_LENGTH, PYTHON_BLOCK

def style_check(folder: Path, files: FileSet) -> list[str]:
    """What black would change, one line per file or example; empty when black changes nothing."""
    formatted = sorted(p for p in files.python_files if p not in files.verbatim)
    problems: list[str] = []
    if formatted:
        command = [sys.executable, "-m", "black", "--check", "--quiet", "--target-version=py310",
                   f"--line-length={LINE_LENGTH}", "--", *formatted]
        run = children.run(command, cwd=folder)
        if run.returncode == 1:  # some files would be reformatted: ask again which, with the diff
            problems += _differences(folder, formatted)
        elif run.returncode != 0:
            problems.append(f"black could not check {folder}: {(run.stderr or run.stdout).strip()}")
    problems += _example_differences(folder, files)
    return problems


def _differences(folder: Path, formatted: list[str]) -> list[str]:
    command = [sys.executable, "-m", "black", "--check", "--target-version=py310", f"--line-length={LINE_LENGTH}",
               "--diff", "--", *formatted]
    run = children.run(command, cwd=folder)
    named = [line.removeprefix("would reformat ").strip() for line in run.stderr.splitlines()
             if line.startswith("would reformat ")]
    return [f"{folder / Path(name).name if Path(name).is_absolute() else folder / name}: black would reformat it"
            for name in named] + run.stdout.splitlines()[:200]


def _example_differences(folder: Path, files: FileSet) -> list[str]:
    import black

    from ..format import black_mode

    found: list[str] = []
    for path in sorted(p for p in files.files if p.endswith(".md")):
        for number, match in enumerate(PYTHON_BLOCK.finditer(files.files[path]), start=1):
            block = match.group(1)
            if black.format_str(block, mode=black_mode()) != block:  # type: ignore[arg-type]
                found.append(f"{folder / path}: black would reformat Python example {number}")
    return found

"""Checks of the input folder that `berita run` (and the flow) make before ingesting, with messages that say
what is wrong and how to fix it.

An input folder holding no article file is not an error: ingest then writes empty tables. It is a warning
(`empty_input_warning`), printed by `berita run` on stderr; the run's exit code stays EMPTY_INPUT_EXIT (0).
"""

from __future__ import annotations

from pathlib import Path

EMPTY_INPUT_EXIT = 0


def check_input_dir(input_dir: Path) -> None:
    """Raise with a one-line reason when input_dir cannot be ingested: missing, or a file, not a folder."""
    p = Path(input_dir)
    if p.is_dir():
        return
    if p.exists():
        raise NotADirectoryError(f"input {p} is a file, not a folder: --input takes the folder that holds the "
                                 f"articles (e.g. --input {p.parent})")
    raise FileNotFoundError(f"input directory {p} does not exist")


def empty_input_warning(input_dir: Path) -> str | None:
    """A warning when input_dir holds no file ingest would read (None when it holds some)."""
    from tasks.ingest.ingest import SUPPORTED, discover

    found, skipped = discover(Path(input_dir))
    if found:
        return None
    kinds = " ".join(sorted(SUPPORTED))
    extra = f" ({len(skipped)} other file(s) skipped, listed in the quarantine)" if skipped else ""
    return f"warning: no article files ({kinds}) under {input_dir}{extra}: nothing was ingested"

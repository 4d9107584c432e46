"""Where actorgraph keeps things: its home (embedded database), data and sources."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository root when running from a checkout (editable install).
REPO_DIR = PACKAGE_DIR.parent


def home_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding the embedded database: `--home`, `$ACTORGRAPH_HOME`, or the user's data dir."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("ACTORGRAPH_HOME")
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("actorgraph", appauthor=False))


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The curated data: `--data`, `$ACTORGRAPH_DATA`, or `data/` of the checkout."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("ACTORGRAPH_DATA")
    if env:
        return Path(env).expanduser().resolve()
    return REPO_DIR / "data"


def sources_dirs(data: Path, override: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where source texts are looked for: `--sources`, `$ACTORGRAPH_SOURCES`, beside the data, `../shared/sources`."""
    candidates: list[Path] = []
    if override:
        candidates.append(Path(override).expanduser().resolve())
    env = os.environ.get("ACTORGRAPH_SOURCES")
    if env:
        candidates.append(Path(env).expanduser().resolve())
    candidates += [data / "sources", data.parent / "sources", shared_sources_dir()]
    return [path for path in candidates if path.is_dir()]


def shared_sources_dir() -> Path:
    """`../shared/sources` beside the checkout: where the article's text lives (it is not in the repository)."""
    return REPO_DIR.parent / "shared" / "sources"

"""The one road of every load: find the files, read them, validate, join, write.

`actorgraph build` and `actorgraph validate`, `Graph.build` and the tests all come
here, with the same arguments (`data`: a path or several, None for the default
data; `sources`: a folder of source texts, None for the usual places) and get the same
checks and the same `DataError` (every problem as `file:line: field: what is wrong`).

The road is taken one of two ways, chosen here and nowhere else:

- **in memory** (`dataset.py`): every record is held, so that records of several
  sources defining one node id join into one node, and MENTIONED_IN is derived;
- **streaming** (`bulk.py`), for one data path holding only JSON Lines files: checked
  and written in one pass, memory holding ids rather than records. Should two sources
  in it define the same node id, the pass stops and the files are read in memory after
  all, since joining them needs both records.

Both check each record with `records.parse` (JSON Lines' fast decoder accepts only what
it would accept) and the records against each other with `rules.py`, whatever the format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from actorgraph.graph.engine import Engine, ProgressCallback
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE
from actorgraph.loaders.build import build_graph
from actorgraph.loaders.dataset import Dataset, load_dataset

#: Asked for a progress bar: `progress(what, total)` gives a context whose value hears about items done.
ProgressFactory = Callable[[str, int], AbstractContextManager[ProgressCallback]]
DataPaths = str | Path | Sequence[str | Path] | None
#: An engine, or a way to open one (`with opener() as engine:`), called only once the data is known to be valid.
Target = Engine | Callable[[], AbstractContextManager[Engine]]


@dataclass
class LoadReport:
    """What a load read (or would write): counts, files, notes for the user, and which way it went."""

    nodes: int
    relationships: int
    files: int
    notes: list[str] = field(default_factory=list)
    streamed: bool = False
    into: str = ""  # the engine written to (`Engine.describe()`), empty when nothing was written


def data_paths(data: DataPaths) -> list[Path]:
    """The data paths to read, in order: those given, or the default data folder."""
    from actorgraph.config import data_dir

    if data is None or isinstance(data, str | Path):
        return [data_dir(data)]
    return [data_dir(path) for path in data] or [data_dir(None)]


def source_folders(paths: list[Path], sources: str | Path | None) -> list[Path]:
    """Where source texts are looked for: `sources`, then beside the first data path and the shared folder."""
    from actorgraph.config import sources_dirs

    return sources_dirs(paths[0], sources)


def read(data: DataPaths = None, sources: str | Path | None = None) -> Dataset:
    """The data validated and held in memory (for reports and the demo); raise DataError with every problem."""
    paths = data_paths(data)
    return load_dataset(paths, source_folders(paths, sources))


def validate(
    data: DataPaths = None, sources: str | Path | None = None, *, progress: ProgressFactory | None = None
) -> LoadReport:
    """Check the data without writing anything; raise DataError with every problem.

    `progress`, when given, is asked for a bar over the lines of a streamed check.
    """
    return _run(data, sources, None, DEFAULT_BATCH_SIZE, progress)


def load(
    data: DataPaths,
    engine: Target,
    *,
    sources: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressFactory | None = None,
) -> LoadReport:
    """Validate the data, then replace the engine's graph with it in one atomic step.

    On problems raise DataError, and the engine keeps its previous graph. `engine` may
    be a way to open one: data read in memory is then validated before it is opened, so
    bad data is reported as such even when the database is down. `batch_size` is the
    rows per UNWIND batch on Neo4j. `progress`, when given, is asked for a bar over the
    rows written.
    """
    return _run(data, sources, engine, batch_size, progress)


def _run(
    data: DataPaths,
    sources: str | Path | None,
    target: Target | None,
    batch_size: int,
    progress: ProgressFactory | None,
) -> LoadReport:
    from actorgraph.loaders.bulk import SeveralSources, build_bulk, count_lines, validate_bulk

    paths = data_paths(data)
    texts = source_folders(paths, sources)
    streamed = _streamed(paths)
    if streamed is not None:
        total = count_lines(streamed) if progress else 0  # counting 1M lines takes 0.2 s: only for a bar
        try:
            with (
                _opened(target) as engine,
                _bar(progress, "checking" if engine is None else "loading", total) as advance,
            ):
                if engine is None:
                    index = validate_bulk(streamed, texts, progress=advance)
                else:
                    index = build_bulk(engine, streamed, texts, batch_size=batch_size, progress=advance)
                    _written(engine)
                into = "" if engine is None else engine.describe()
            return LoadReport(index.nodes, index.relations, len(index.files), index.notes, True, into)
        except SeveralSources:
            pass  # joining their records needs them all in memory: read the same files that way
    dataset = load_dataset(paths, texts)
    into = ""
    if target is not None:
        with (
            _opened(target) as engine,
            _bar(progress, "loading", len(dataset.nodes) + len(dataset.relations)) as advance,
        ):
            build_graph(engine, dataset, batch_size=batch_size, progress=advance)
            _written(engine)
            into = engine.describe()
    return LoadReport(len(dataset.nodes), len(dataset.relations), dataset.files, dataset.notes, False, into)


def _opened(target: Target | None) -> AbstractContextManager[Engine | None]:
    if target is None or isinstance(target, Engine):
        return nullcontext(target)
    return target()


def _written(engine: Engine) -> None:
    """Forget what this process cached about the previous graph (the names `resolve` looks up)."""
    from actorgraph.queries.resolve import forget

    forget(engine)


def _streamed(paths: list[Path]) -> Path | None:
    """The one data path to stream (a JSON Lines file, or a folder holding only JSON Lines), or None."""
    from actorgraph.loaders.bulk import is_bulk
    from actorgraph.loaders.reader import DATA_SUFFIXES

    if len(paths) != 1:
        return None
    path = paths[0]
    has_yaml = path.is_dir() and any(file.suffix in DATA_SUFFIXES for file in path.rglob("*"))
    return path if is_bulk(path) and not has_yaml else None


def _bar(progress: ProgressFactory | None, what: str, total: int) -> AbstractContextManager[ProgressCallback | None]:
    return progress(what, total) if progress else nullcontext(None)

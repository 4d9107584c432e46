"""Build a graph: validate everything first, then replace the graph in one atomic swap."""

from __future__ import annotations

from actorgraph.graph.engine import Engine, ProgressCallback
from actorgraph.loaders.dataset import Dataset
from actorgraph.loaders.statements import DEFAULT_BATCH_SIZE, dataset_writes


def build_graph(
    engine: Engine,
    dataset: Dataset,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Replace the engine's graph with `dataset`; return the counts written.

    Validation has already happened (a `Dataset` is valid by construction), so a
    failure here is an engine failure, and the engine keeps the previous graph.
    """
    engine.replace_graph_rows(dataset_writes(dataset), batch_size=batch_size, progress=progress)
    return {"nodes": len(dataset.nodes), "relationships": len(dataset.relations)}

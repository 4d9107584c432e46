"""Data files -> validated records -> batched, idempotent, all-or-nothing writes.

`load`, `validate` and `read` (`road.py`) are the entry points: every step of a load is
in this package, and the CLI, the Python API and the tests all call these.
"""

from __future__ import annotations

from actorgraph.loaders.build import build_graph
from actorgraph.loaders.dataset import Dataset, load_dataset
from actorgraph.loaders.problems import DataError, Problem
from actorgraph.loaders.road import LoadReport, load, read, validate

__all__ = [
    "DataError",
    "Dataset",
    "LoadReport",
    "Problem",
    "build_graph",
    "load",
    "load_dataset",
    "read",
    "validate",
]

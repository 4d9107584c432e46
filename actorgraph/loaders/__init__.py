"""Data files -> validated records -> batched, idempotent, all-or-nothing writes."""

from __future__ import annotations

from actorgraph.loaders.build import build_graph
from actorgraph.loaders.dataset import Dataset, load_dataset
from actorgraph.loaders.problems import DataError, Problem

__all__ = ["DataError", "Dataset", "Problem", "build_graph", "load_dataset"]

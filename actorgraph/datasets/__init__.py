"""Importers for the standard political-science data sets (Archigos, COW, Gleditsch-Ward, ATOP).

`convert(name, path, out_dir, data_dir)` turns one data set into a JSON Lines file in
actorgraph's data format: one Source node per data set, provenance per row, and nodes
joined to the actors the curated data already has. See `actorgraph import --help`.
"""

from actorgraph.datasets.catalog import DATASETS, DatasetSpec
from actorgraph.datasets.convert import ImportResult, convert
from actorgraph.datasets.tables import DatasetError

__all__ = ["DATASETS", "DatasetError", "DatasetSpec", "ImportResult", "convert"]

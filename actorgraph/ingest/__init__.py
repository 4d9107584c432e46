"""Ingest a new text: find the graph's known names in it (any language, any inflected form),
propose new names, and write a draft data file for a person to review.

Modules, one job each: `reading` (bytes -> lines, bad input refused), `tokens` (words,
sentences, language), `kazakh` and `russian` (morphology), `names` (spellings of known
nodes, CLDR countries), `matcher` (names in a token stream), `candidates` (new names),
`pipeline` (all of it for one file) and `draft` (the YAML a reviewer edits).

What belongs to a new name and what stands beside it (titles, classifiers such as
компаниясы or Фонд, head nouns such as Университеті, region words, particles) is set out
in `candidates`' docstring, with the reason for each rule.
"""

from __future__ import annotations

from actorgraph.ingest.pipeline import Draft, build_matcher, ingest, known_from_dataset
from actorgraph.ingest.reading import IngestError

__all__ = ["Draft", "IngestError", "build_matcher", "ingest", "known_from_dataset"]

"""The catalogue of named questions (one .cypher file each), name resolution and the console."""

from __future__ import annotations

from actorgraph.queries.registry import Question, QuestionError, ask, catalogue, get_question

__all__ = ["Question", "QuestionError", "ask", "catalogue", "get_question"]

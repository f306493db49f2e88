"""Stage 3, query: a question in, ranked passages out.

Owns what a question asks for (`question`), follow-ups rewritten from the
conversation (`followup`) and hybrid retrieval (`retrieval`). Imports from ingest
and index."""

from .retrieval import Hit, Query, Retriever

__all__ = ["Hit", "Query", "Retriever"]

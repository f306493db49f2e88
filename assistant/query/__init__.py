"""Stage 3, query: a question in, ranked passages out.

Owns what a question asks for (`question`), the question understood once
(`parse.Question`), follow-ups rewritten from the conversation (`followup`) and
hybrid retrieval (`retrieval`). Imports from ingest and index."""

from .parse import Question, parse_question
from .retrieval import Hit, Retriever

__all__ = ["Hit", "Question", "Retriever", "parse_question"]

"""Stage 5b, study: material for trainers, built from the index's documents and
their structure, with no model call. One module per view: `overview` (one plan),
`matrix` (units or topics across provinces), `deadlines`, `quiz`; `corpus` holds what
they share (`StudyCorpus`, `Quote`); `handouts` turns a view into a `handout.Handout`
that `export` writes as Markdown, .docx or .xlsx; `command` is `assistant study …`.
Imports only from ingest and index (never from engine, which comes after)."""

from .corpus import Quote, StudyCorpus
from .deadlines import deadlines_view
from .matrix import topic_matrix, unit_matrix
from .overview import overview
from .quiz import quiz

__all__ = ["Quote", "StudyCorpus", "deadlines_view", "overview", "quiz", "topic_matrix", "unit_matrix"]

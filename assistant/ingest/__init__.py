"""Stage 1, ingest: files in, clean documents out.

Owns the text we quote (`text`), the provinces (`provinces`), each document and its
metadata (`documents`) and its heading tree with task fields (`structure`).
Imports nothing from the later stages."""

from .documents import Document, read_corpus
from .structure import Section, TaskField, parse_sections

__all__ = ["Document", "Section", "TaskField", "parse_sections", "read_corpus"]

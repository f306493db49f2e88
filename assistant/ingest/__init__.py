"""Stage 1, ingest: files in, clean documents out.

Owns the text we quote (`text`), the provinces (`provinces`), each document and its
metadata (`documents`), its heading tree with task fields (`structure`), one record per
task (`tasks`) and the units the tasks name (`units`).
Imports nothing from the later stages."""

from .documents import Document, read_corpus
from .structure import Section, TaskField, parse_sections
from .tasks import Span, Task, read_tasks

__all__ = ["Document", "Section", "Span", "Task", "TaskField", "parse_sections", "read_corpus", "read_tasks"]

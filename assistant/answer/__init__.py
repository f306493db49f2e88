"""Stage 4, answer: passages in, a short extractive answer with verbatim citations out.

Owns the pieces copied from the text (`extract`), answers about documents
(`metadata`) and the composer (`compose`). Imports from ingest, index and query."""

from .compose import Answer, Citation, Composer

__all__ = ["Answer", "Citation", "Composer"]

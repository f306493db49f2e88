"""Stage 4, answer: passages in, a short extractive answer with verbatim citations out.

Owns the pieces copied from the text (`extract`), the candidate answers of a plan
(`candidates`, `metadata`), the signals each is judged by (`features`), the fitted
model that judges them (`model`, `answer_model.json`) and the composer
(`compose`): the answer, its confidence, its citations, or a refusal. Imports from
ingest, index and query."""

from .compose import Composer
from .types import NOT_FOUND, Answer, Citation

__all__ = ["Answer", "Citation", "Composer", "NOT_FOUND"]

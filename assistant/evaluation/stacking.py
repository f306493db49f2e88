"""Out-of-fold readings for fitting the answer model on the questions the intent
classifier was fitted on.

The answer model weighs the classifier's probabilities. Read by a classifier fitted on
the very same questions, they are near certain, and the answer model would learn to
trust them more than it can on a new question. So each fold of the training questions
is read by a classifier fitted on the other folds (stacking); new questions are read by
the classifier fitted on all of them, as when answering."""

from __future__ import annotations

from ..engine import Assistant
from ..query.intent import IntentModel
from . import fit, supervision
from .tune_intent import fit_intent

FOLDS = 5


def collect_out_of_fold(assistant: Assistant, rows: list[dict], seed: int = 13,
                        folds: int = FOLDS) -> list[fit.Example]:
    """fit.collect over `rows`, each read by an intent classifier fitted without its fold."""
    labelled = [supervision.label(assistant, {**row, "id": f"{n}"}) for n, row in enumerate(rows)]
    vectors = assistant.embedder.embed_queries([q.matching for q in labelled])  # one batch, as train_intent
    card = {"embedder": assistant.intents.card.get("embedder"), "note": "a fold of the stacking"}
    examples: list[fit.Example | None] = [None] * len(rows)
    for fold in range(folds):
        keep = [i for i in range(len(rows)) if i % folds != fold]
        intents = fit_intent(assistant.index, [labelled[i] for i in keep], vectors[keep], seed, card)
        reader = _with_intents(assistant, intents)
        chosen = [i for i in range(len(rows)) if i % folds == fold]
        for i, example in zip(chosen, fit.collect(reader, [rows[i] for i in chosen])):
            examples[i] = example
    return examples


def _with_intents(assistant: Assistant, intents: IntentModel) -> Assistant:
    """The same index, encoder and answer model, reading questions with `intents`."""
    return Assistant(assistant.settings, assistant.index, assistant.embedder, assistant.composer.model, intents)

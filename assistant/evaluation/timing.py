"""What a run's timings are read against: the time spent embedding questions, measured
inside the very `ask` it is part of, and the machine's CPUs and load at start and end."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

import numpy as np

from ..index.embedding import identity_of, weights_of


class TimedEmbedder:
    """An embedder that adds up the time its query embeddings take. The evaluation
    opens the assistant on it, so an item's embedding time is the part of its own `ask`
    spent embedding (never more than the `ask`), not a second call timed apart."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.query_seconds = 0.0

    @property
    def identity(self) -> str:
        """The wrapped embedder's: an index built through it is the index the engine uses."""
        return identity_of(self.inner)

    @property
    def weights(self) -> str:
        """The wrapped embedder's, which intent classifiers are checked against."""
        return weights_of(self.inner)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.embed_queries(texts)
        finally:
            self.query_seconds += time.perf_counter() - started

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.inner.embed_passages(texts, progress=progress)


def machine_state() -> dict:
    """Now, the CPUs this process may use and the load averages over 1, 5 and 15 minutes
    (None where the system does not say): timings taken on a loaded machine are upper bounds."""
    try:
        load = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        load = None
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "load_average": load,
            "cpu_count": os.cpu_count(), "cpus_usable": usable}

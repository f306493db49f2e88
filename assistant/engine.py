"""The assistant's Python API: open an index (building it when missing or
stale) and answer questions. The CLI and the HTTP API are thin layers over it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

from .answer.compose import Composer
from .answer.model import AnswerModel
from .answer.types import Answer, Citation
from .errors import (IndexError_, InvalidQuestionError, ModelLoadError, UnknownDocumentError,
                     UnknownProvinceError)
from .index import library, versions
from .index.embedding import Embedder, SentenceTransformerEmbedder, weights_of, identity_of
from .index.store import BuildReport, Index, bind_corpus, build_index, load_index, read_manifest, staleness
from .ingest.documents import Document
from .ingest.provinces import PROVINCES, by_slug
from .ingest.text import clean_question
from .query.followup import standalone_question
from .query.intent import IntentModel
from .query.parse import Question, parse_question
from .query.retrieval import Retriever
from .settings import Settings

EXAMPLE_QUESTION = "Ai chịu trách nhiệm khen thưởng?"
HISTORY_TURNS = 10  # a follow-up refers to the last few questions, not the whole session


def too_long(length: int, limit: int) -> str:
    """What a user is told about a question over the limit (by the engine and the API alike)."""
    return f"câu hỏi dài {length} ký tự, vượt giới hạn {limit} ký tự; hãy rút gọn câu hỏi"


def recent_history(history: Sequence[str], max_chars: int, turns: int = HISTORY_TURNS) -> list[str]:
    """The last `turns` questions, fewer if together they pass `max_chars` characters
    (the latest are kept: a follow-up refers to what was just asked)."""
    kept, total = [], 0
    for turn in reversed(list(history)[-turns:]):
        if total + len(turn) > max_chars:
            break
        kept.append(turn)
        total += len(turn)
    return kept[::-1]


def empty_question() -> str:
    """What a user is told about a blank question (by the engine and the API alike)."""
    return f"câu hỏi đang trống; hãy nhập câu hỏi, ví dụ: «{EXAMPLE_QUESTION}»"


def ensure_index(settings: Settings, embedder: Embedder, progress: bool = False,
                 log: Callable[[str], None] = lambda message: None, same_model: bool = True) -> Index:
    """Load the index; build it first when it is missing, stale or damaged, always
    from the corpus it was built from (`settings` bound by bind_corpus). `same_model`
    also rebuilds an index whose vectors another model made (not needed by commands that
    only read documents)."""
    reason = staleness(settings, identity_of(embedder) if same_model else None)
    if reason is None:
        try:
            return load_index(settings, allow_stale=True)  # just found current: not checked again
        except IndexError_ as exc:
            reason = str(exc)
    if not settings.corpus_dir.is_dir():
        raise IndexError_(f"{reason}; không có thư mục văn bản {settings.corpus_dir} để xây dựng lại "
                          "(đặt bằng --corpus hoặc ASSISTANT_CORPUS_DIR)")
    try:
        versions.check_writable(settings.index_dir)
    except IndexError_ as unwritable:
        try:  # a read-only copy of an intact index still answers, from the texts it holds
            index = load_index(settings, allow_stale=True)
        except IndexError_:
            raise unwritable from None
        log(f"Cảnh báo: {reason}, nhưng không ghi được vào {settings.index_dir}; dùng chỉ mục hiện có "
            f"(xây dựng ngày {index.manifest.get('built_at', '?')})")
        return index
    log(f"Đang xây dựng chỉ mục: {reason}")
    report = build_index(settings, embedder, progress=progress)
    for problem in report.problems:
        log(f"Bỏ qua: {problem}")
    return load_index(settings)


class Assistant:
    def __init__(self, settings: Settings, index: Index, embedder: Embedder, model: AnswerModel | None = None,
                 intents: IntentModel | None = None):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        if intents is not None:
            _check_same_encoder(intents, embedder)
        self._intents = intents  # else loaded with the model, when a question is first read (warm_up)
        self.retriever = Retriever(index, embedder, settings)
        self.composer = Composer(index, settings, self.retriever, model or AnswerModel.from_file(settings.answer_model))

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None, progress: bool = False,
             log: Callable[[str], None] = lambda message: None, warm: bool = True,
             model: AnswerModel | None = None, intents: IntentModel | None = None,
             same_model: bool | None = None) -> "Assistant":
        """`warm=False` skips loading the model, for commands that only read documents (an
        index of another model's vectors is then read as it is, unless `same_model`);
        `model` and `intents` replace the fitted answer model and intent classifier
        (fitting brings its own)."""
        settings = bind_corpus(settings)
        embedder = embedder or SentenceTransformerEmbedder(settings)
        same_model = warm if same_model is None else same_model
        assistant = cls(settings, ensure_index(settings, embedder, progress, log, same_model), embedder, model,
                        intents)
        if warm:
            assistant.warm_up()
        return assistant

    @property
    def intents(self) -> IntentModel:
        """The intent classifier, loaded on first use: commands that read no question
        (study, documents) never load it."""
        if self._intents is None:
            intents = IntentModel.load(self.settings.intent_model)
            _check_same_encoder(intents, self.embedder)
            self._intents = intents
        return self._intents

    def reloaded(self) -> "Assistant | None":
        """An assistant on the index version that is current now, sharing this one's model;
        None while the version in use is still the current one, unchanged (a manifest
        rewritten in place is loaded again, and so checked again)."""
        current = versions.current_id(self.settings.index_dir)
        if current is None or (current == self.index.version
                               and read_manifest(self.settings.index_dir) == self.index.manifest):
            return None
        return Assistant(self.settings, load_index(self.settings, allow_stale=True), self.embedder,
                         self.composer.model, self._intents)

    def warm_up(self) -> None:
        """Load the model and pyvi now, so the first question is as fast as the others."""
        self.ask(EXAMPLE_QUESTION)
        self.ask("ai chiu trach nhiem khen thuong")

    def ask(self, question: str, province: str | None = None, history: Sequence[str] = ()) -> Answer:
        """Answer a question; `history` holds the earlier questions of a conversation,
        oldest first, so a follow-up ("Còn Bắc Giang thì sao?") is read in their light."""
        started = time.perf_counter()
        question = self.check_question(question)
        standalone, parsed = self.interpret(question, province, history)
        composed = self.composer.compose(parsed)
        took = (time.perf_counter() - started) * 1000
        return Answer(question, composed.found, composed.text, composed.citations, round(took, 1),
                      interpreted_as=standalone, confidence=composed.confidence, lead=composed.lead)

    def interpret(self, question: str, province: str | None = None,
                  history: Sequence[str] = ()) -> tuple[str, Question]:
        """A checked question as it stands alone after its conversation, and parsed."""
        history = recent_history(history, self.settings.max_history_chars)
        standalone = standalone_question(question, history, self.index.provinces)
        return standalone, self.understand(standalone, province)

    def understand(self, question: str, province: str | None = None) -> Question:
        """The question parsed once, for every later stage to read."""
        return parse_question(question, province, frozenset(self.index.provinces), self.index.accents,
                              self.index.lexical, lambda text: self.embedder.embed_queries([text])[0], self.intents)

    def search(self, text: str, k: int = 5, province: str | None = None) -> list[Citation]:
        hits = self.retriever.search(self.understand(self.check_question(text), province), k=k)
        return self.composer.passages(hits)

    def check_question(self, question: str) -> str:
        question = clean_question(question or "")
        if not question:
            raise InvalidQuestionError(empty_question())
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise InvalidQuestionError(too_long(len(question), limit))
        return question

    def documents(self) -> list[Document]:
        return list(self.index.documents.values())

    def document(self, doc_id: str) -> Document:
        try:
            return self.index.documents[doc_id]
        except KeyError:
            known = ", ".join(self.index.documents)
            raise UnknownDocumentError(f"không có văn bản «{doc_id}»; các văn bản hiện có: {known}") from None

    def document_view(self, doc_id: str) -> dict:
        """A document as readers see it: metadata, its section tree, and the text that
        citation offsets refer to."""
        doc = self.document(doc_id)
        sections = [{"number": s.number, "title": s.title, "path": s.display_path, "start": s.start, "end": s.end}
                    for s in self.index.sections(doc.doc_id)]
        return {**doc.metadata(), "sections": sections, "pages": doc.page_ranges(), "text": doc.text}


def _check_same_encoder(intents, embedder: Embedder) -> None:
    """An intent classifier reads vectors of the encoder it was fitted on, and no other."""
    fitted_on = intents.card.get("embedder")
    running = weights_of(embedder)
    if fitted_on is not None and fitted_on != running:
        raise ModelLoadError(f"bộ nhận dạng câu hỏi được huấn luyện trên mô hình {fitted_on}, nhưng trợ lý đang dùng "
                             f"{running}; hãy chạy lại scripts/train_intent.py (hoặc đặt lại ASSISTANT_ENCODER_ADAPTER)")


def build(settings: Settings, embedder: Embedder | None = None, progress: bool = False) -> BuildReport:
    """`assistant build`: from the corpus given, else the one the index was built from."""
    settings = bind_corpus(settings, rebuilding=True)
    return build_index(settings, embedder or SentenceTransformerEmbedder(settings), progress=progress)


def add_documents(settings: Settings, paths: Sequence[Path], province: str | None = None,
                  embedder: Embedder | None = None, progress: bool = False, force: bool = False,
                  replace_id: str | None = None) -> library.AddReport:
    """`assistant add`: copy files into the index's corpus and embed only them; `force`
    keeps a scan below the quality gate (marked), `replace_id` takes that document out."""
    if province and by_slug(province) is None:
        raise UnknownProvinceError(f"không có tỉnh «{province}»; các tỉnh: {', '.join(p.slug for p in PROVINCES)}")
    settings = bind_corpus(settings)
    return library.add_files(settings, list(paths), embedder or SentenceTransformerEmbedder(settings),
                             province, progress, force, replace_id)


def remove_document(settings: Settings, doc_id: str, embedder: Embedder | None = None) -> BuildReport:
    """`assistant remove`: take a document out; the others keep their vectors."""
    settings = bind_corpus(settings)
    return library.remove_document(settings, doc_id, embedder or SentenceTransformerEmbedder(settings))

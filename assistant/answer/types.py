"""What the answer stage hands out: an answer and the citations that prove it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

NOT_FOUND = "Không tìm thấy thông tin này trong các văn bản hiện có."


@dataclass(frozen=True)
class Citation:
    doc_id: str
    province: str
    title: str
    section: str
    quote: str  # == the document text[start:end]
    start: int
    end: int
    score: float
    page: int | None = None  # the PDF page the quote starts on

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    answer: str
    citations: tuple[Citation, ...]
    took_ms: float = 0.0
    interpreted_as: str = ""  # the standalone question answered: a follow-up rewritten from history
    # "high": the answer is the plans' own answer to the question; "low": the best
    # candidates, each quoted, for the reader to judge; "" for a refusal
    confidence: str = ""
    lead: str = ""  # what it stands behind: all of the answer when sure, its "Có thể là: …" line when not

    def to_dict(self) -> dict:
        data = asdict(self)
        data["citations"] = [c.to_dict() for c in self.citations]
        return data

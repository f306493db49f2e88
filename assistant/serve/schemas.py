"""The API's request and response shapes (they document themselves in /docs),
and Vietnamese messages for requests that do not fit them.

Every string a client sends has a maxLength that the schema enforces on the raw
input, before any cleaning, so an oversized question costs nothing."""

from __future__ import annotations

import copy

from pydantic import BaseModel, ConfigDict, Field

from ..engine import empty_question, too_long
from ..settings import Settings

MAX_QUESTION = Settings.max_question_chars  # the engine counts after cleaning, the schema before
MAX_HISTORY = 50
MAX_ANSWER_TEXT = 4_000  # an earlier answer is sent back by the page but never read
MAX_PROVINCE = 64
MAX_DOC_ID = 120


class Turn(BaseModel):
    question: str = Field(max_length=MAX_QUESTION, description="câu hỏi trước đó")
    answer: str = Field("", max_length=MAX_ANSWER_TEXT, description="câu trả lời khi đó (không được đọc)")


class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"question": "Ai chịu trách nhiệm khen thưởng?", "province": None, "history": []},
        {"question": "Còn Bắc Giang thì sao?", "province": None,
         "history": [{"question": "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "answer": "Sở Nội vụ"}]},
    ]})
    question: str = Field(min_length=1, max_length=MAX_QUESTION, description="câu hỏi tiếng Việt (tối đa 2.000 ký tự)")
    province: str | None = Field(None, max_length=MAX_PROVINCE,
                                 description="chỉ tìm trong văn bản của tỉnh này (slug, ví dụ gia-lai)")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY,
                                description="các lượt hỏi đáp trước, cũ nhất trước, để hiểu câu hỏi nối tiếp "
                                            "(chỉ 10 câu hỏi gần nhất được đọc)")


class CitationOut(BaseModel):
    doc_id: str
    province: str
    title: str
    section: str = Field(description="đường dẫn mục, ví dụ «II › 2 › 2.3»")
    quote: str = Field(description="nguyên văn, bằng text[start:end] của văn bản")
    start: int
    end: int
    score: float
    page: int | None = Field(None, description="trang của đoạn trích trong bản PDF (null nếu văn bản không chia trang)")


class AnswerOut(BaseModel):
    question: str
    found: bool = Field(description="false: văn bản không có thông tin này")
    answer: str
    citations: list[CitationOut]
    took_ms: float
    interpreted_as: str = Field(description="câu hỏi đầy đủ đã được trả lời (câu nối tiếp được viết lại)")
    confidence: str = Field(description="\"high\": câu trả lời chắc chắn; \"low\": chưa chắc chắn, kèm các đoạn liên "
                                        "quan nhất; \"\" khi không tìm thấy")
    lead: str = Field("", description="phần câu trả lời mà trợ lý đứng sau: cả câu trả lời khi chắc chắn, "
                                      "dòng «Có thể là: …» khi chưa chắc chắn; \"\" khi không tìm thấy")


class RankedCitation(CitationOut):
    rank: int


class SearchOut(BaseModel):
    query: str
    results: list[RankedCitation]


class DocumentSummary(BaseModel):
    model_config = ConfigDict(extra="allow")
    doc_id: str
    province: str
    province_name: str
    label: str
    display_title: str
    title: str


class SectionOut(BaseModel):
    number: str
    title: str
    path: str
    start: int
    end: int


class PageOut(BaseModel):
    page: int
    start: int
    end: int


class DocumentDetail(DocumentSummary):
    source: str = Field("", description="tệp gốc trong thư mục văn bản")
    format: str = Field("", description="định dạng gốc: txt, md, docx, pdf, pdf-ocr (bản quét), png, jpg")
    sections: list[SectionOut]
    pages: list[PageOut] = Field(default_factory=list, description="vị trí đầu–cuối của từng trang (PDF)")
    text: str = Field(description="toàn văn; vị trí start/end của trích dẫn tính trên chuỗi này")


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    model: str
    index_built_at: str


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str = Field(description="thông báo tiếng Việt, nói rõ cần làm gì")


class ErrorOut(BaseModel):
    error: ErrorBody


_PROBLEMS = {
    "missing": "thiếu {field}",
    "string_type": "{field} phải là chuỗi ký tự",
    "int_parsing": "{field} phải là số nguyên",
    "int_type": "{field} phải là số nguyên",
    "greater_than_equal": "{field} phải từ {ge} trở lên",
    "less_than_equal": "{field} không được vượt quá {le}",
    "list_type": "{field} phải là một danh sách",
    "model_type": "{field} phải là một đối tượng JSON",
    "model_attributes_type": "{field} phải là một đối tượng JSON",
    "dict_type": "{field} phải là một đối tượng JSON",
    "too_long": "{field} có quá nhiều phần tử (tối đa {max_length})",
    "string_too_long": "{field} dài quá {max_length} ký tự",
    "json_invalid": "nội dung gửi lên không phải JSON hợp lệ",
    "string_unicode": "{field} phải là văn bản UTF-8",
}


def validation_message(errors: list[dict]) -> str:
    """One Vietnamese sentence for the first problem of a request that does not fit its schema."""
    if not errors:
        return "yêu cầu không hợp lệ"
    error = errors[0]
    where = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    field = f"trường «{'.'.join(where)}»" if where else "nội dung yêu cầu"
    template = _PROBLEMS.get(error.get("type", ""), "{field} không hợp lệ")
    context = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
    try:
        return "yêu cầu không hợp lệ: " + template.format(field=field, **context)
    except (KeyError, IndexError):
        return f"yêu cầu không hợp lệ: {field} không hợp lệ"


_QUESTION_FIELDS = {("body", "question"), ("query", "q")}


def too_long_question(errors: list[dict]) -> str | None:
    """The engine's own words for a question over the limit, counted on the raw input, or empty."""
    error = errors[0] if errors else {}
    if tuple(error.get("loc", ())) not in _QUESTION_FIELDS:
        return None
    if error.get("type") == "string_too_short":
        return empty_question()
    if error.get("type") != "string_too_long":
        return None
    limit = (error.get("ctx") or {}).get("max_length", MAX_QUESTION)
    return too_long(len(error.get("input") or ""), limit)


def with_provinces(schema: dict, provinces: list[str]) -> dict:
    """A copy of the OpenAPI document whose province fields list the provinces served
    ("" is the chat page's "all provinces")."""
    schema = copy.deepcopy(schema)
    allowed = {"type": "string", "enum": [*provinces, ""], "maxLength": MAX_PROVINCE}
    ask = schema["components"]["schemas"]["AskRequest"]["properties"]["province"]
    ask["anyOf"] = [allowed, {"type": "null"}]
    for parameter in schema["paths"]["/api/search"]["get"]["parameters"]:
        if parameter["name"] == "province":
            parameter["schema"]["anyOf"] = [allowed, {"type": "null"}]
    return schema

"""Follow-up questions in a conversation. "Còn Bắc Giang thì sao?" or "Thời gian
thực hiện là khi nào?" mean little alone; read after "Ai chịu trách nhiệm khen
thưởng ở Ninh Thuận?" they carry its topic over and swap the province or the
field asked. They are rewritten into the standalone question the engine answers.

Matching is done on accent-folded text, so follow-ups typed without diacritics
work too; "đó" (that) is only recognised with its accents or after a noun,
because folded it is the common "do" (by)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from ..index.thesaurus import phrase_pattern, phrases
from ..ingest.provinces import Province, find_provinces, first_mention, remove_province_names
from ..ingest.text import clean_question, fold, has_diacritics, match_form
from .question import Intent, analyse, content

# "Còn …", "Thế còn …", "Vậy còn …", "Và …", "Với …", "Riêng …"
_LEADS = re.compile(r"^(?:(?:the|vay|the thi|con)\s+)?(?:con|va|voi|rieng|doi voi|tuong tu)\b\s*(?:voi|o|tai)?\s*")
# "… thì sao?", "… thì thế nào?", "… thì ra sao?", "… cũng vậy à?"
_TAILS = re.compile(r"\s*\b(?:thi|the)?\s*(?:sao|the nao|nhu the nao|ra sao|thi sao|nua|cung vay|"
                    r"cung the|co giong khong|co khac khong)\s*(?:a|vay|nhi|nhe|day)?\s*[?.!]*\s*$")
# "việc đó", "nhiệm vụ này", "nội dung trên": the topic of the previous question
_THING = r"(?:viec|nhiem vu|noi dung|hoat dong|cong viec|van de|linh vuc|cong tac|viec nay)"
_ANAPHOR_FOLDED = re.compile(rf"\b{_THING}\s+(?:do|nay|ay|tren|noi tren|vua (?:roi|hoi))\b")
_ANAPHOR_ACCENTED = re.compile(r"\b(?:đó|ấy|nói trên)\b")
# "kế hoạch này", "văn bản đó": the document of the previous question
_DOCUMENT_REF = re.compile(r"\b(?:ke hoach|van ban|cong van)\s+(?:do|nay|ay|tren|noi tren)\b")
# words that ask, point back or connect: left out, what remains is the question's own
# topic. Written with diacritics; folded for questions typed without them.
_NOT_TOPIC = (
    r"\b(?:còn|thế|vậy|và|đối với|tương tự|với|riêng|thì|sao|ra sao|thế nào|như thế nào|nữa|cũng|ạ|nhỉ|nhé|là|do|"
    r"này|ấy|đó|trên|nói trên|ở|tại|của|tỉnh|về|việc|nhiệm vụ|nội dung|hoạt động|công việc|vấn đề|"
    r"đơn vị|cơ quan|phối hợp|chủ trì|tham mưu|chỉ đạo|thực hiện|triển khai|thời gian|thời hạn|hạn chót|"
    r"hạn|kết thúc|bắt đầu|hoàn thành|ký|ban hành|số hiệu|ngày|những|các|nào|gì|ai|khi nào|bao giờ|"
    r"kế hoạch|văn bản|công văn|giống|khác|không|có|được|phải|sẽ|đâu)\b")
# a topic that is an agency, capitalised as agencies are ("Báo Gia Lai", not "bảo vệ"):
# the follow-up asks what that agency is given to do
_UNIT = re.compile(r"(?:so|ban|uy ban|ubnd|cong an|bo chi huy|van phong|dai|bao|hoi|lien doan|tinh doan|"
                   r"truong|cuc|chi cuc|trung tam|mat tran)\b")
# a question that starts with its question word takes the document after it: "Ai ký …"
_ASKS_FIRST = re.compile(r"(?:ai|co quan nao|don vi nao|nguoi nao|lanh dao nao|cap nao)\b")
# "ở đó", "tại đó": the place asked about before
_PLACE_POINTER = re.compile(r"\b(?:ở|tại) (?:đó|đấy|đây)\b\s*,?")
# "sở đó", "cơ quan này", "đơn vị ấy", or "Sở" alone: the agency named before
_AGENCY_POINTER = re.compile(r"\b(?:sở|cơ quan|đơn vị|ban) (?:đó|này|ấy|trên)\b|^sở(?= [a-zđà-ỹ])")
_COMPARED = re.compile(r"^(?:the\s+|con\s+)?so (?:voi|sanh voi)\b")
_CONNECTIVE = re.compile(r"^(?:vay|the|roi|con)\b")
_DOCUMENT_NOUN = re.compile(r"\b(?:ke hoach|van ban|cong van)\b(?! (?:cua|so|do|nay|ay|tren))")
_ROLE_TEMPLATES = {
    "timeline": "Thời gian thực hiện {topic}{place} là khi nào?",
    "coordinating": "Đơn vị nào phối hợp {topic}{place}?",
    "directing": "Ai chỉ đạo {topic}{place}?",
    "advising": "Cơ quan nào tham mưu {topic}{place}?",
    "lead": "Ai chịu trách nhiệm {topic}{place}?",
}


def standalone_question(question: str, previous: Sequence[str], known: Iterable[str] = ()) -> str:
    """The question as it would be asked alone, given the earlier questions of the
    conversation (oldest first). Each earlier question is itself resolved first,
    so a chain of follow-ups keeps its topic."""
    known = frozenset(known)
    context = None
    for earlier in filter(None, (clean_question(q or "") for q in previous)):  # blank turns carry nothing
        context = _resolve(earlier, context, known)
    return _resolve(clean_question(question), context, known)


def _resolve(question: str, context: str | None, known: frozenset[str]) -> str:
    if not context or not question:
        return question
    question, there = _without_place_pointer(question)  # "Ở đó ai phối hợp?": the earlier place
    question = _named_agency(question, context, known)  # "Sở đó …": the agency named before
    folded = fold(question)
    provinces = find_provinces(question, known)
    own_topic = topic(question, known)
    points_back = there or bool(_LEADS.search(folded) or _TAILS.search(folded))
    anaphor = _anaphor(question)
    earlier_places = find_provinces(context, known)
    if _COMPARED.match(folded):  # "So với Bắc Giang thì thế nào?": both, side by side
        return _with_places(context, _merged(earlier_places, provinces), known)
    if own_topic and not points_back and not anaphor:
        if provinces or not earlier_places or not _continues(question, context, known):
            return question  # a new question of its own
        return _in_place(question, earlier_places)  # the same conversation: the same province
    intent = analyse(question, provinces_named=len(provinces))
    if intent.kind == "metadata" and provinces and not points_back and anaphor is None:
        return question  # "Ai ký kế hoạch của Gia Lai?" stands alone
    places = provinces or earlier_places
    if own_topic and anaphor is None:  # "Còn kinh phí thì sao?": a new topic, asked as before
        if _asks_something(intent):  # "Đối với tuyên truyền biển đảo, ai chủ trì?": as asked now
            return _ask(intent, own_topic, places, fallback=question, asked=question)
        return _ask(analyse(context), own_topic, places, fallback=context)
    if anaphor is not None:  # "Việc đó do ai phối hợp?": the earlier topic in its place
        return _replace_anaphor(question, anaphor, context, places, known)
    if _asks_something(intent):  # "Thời gian thực hiện là khi nào?": the earlier topic, a new field
        return _ask(intent, topic(context, known), places, fallback=question, asked=question)
    if provinces or points_back:  # "Còn Bắc Giang thì sao?": the earlier question, another province
        return _with_places(context, places, known)
    return question


def topic(question: str, known: frozenset[str] = frozenset()) -> str:
    """What a question is about, without question words, provinces or pointers back."""
    text = content(remove_province_names(question, find_provinces(question, known)))
    accented = has_diacritics(text)
    form = match_form(text) if accented else fold(text)
    if len(form) != len(text):
        return text.strip(" ?.!")
    for match in reversed(list(_compiled(_NOT_TOPIC, accented).finditer(form))):
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    return " ".join(re.sub(r"[?.!,;:]", " ", text).split())


@lru_cache(maxsize=None)
def _compiled(pattern: str, accented: bool) -> re.Pattern:
    return re.compile(match_form(pattern) if accented else fold(pattern))


def _anaphor(question: str) -> tuple[int, int] | None:
    lowered = question.lower()
    folded = fold(question)
    for pattern, target in ((_ANAPHOR_FOLDED, folded), (_DOCUMENT_REF, folded), (_ANAPHOR_ACCENTED, lowered)):
        if len(target) != len(question):
            continue
        match = pattern.search(target)
        if match:
            return match.span()
    return None


def _asks_something(intent: Intent) -> bool:
    return intent.kind != "what"


def _ask(intent: Intent, subject: str, places: list[Province], fallback: str, asked: str | None = None) -> str:
    place = _place_phrase(places)
    if intent.kind == "metadata" and asked is not None:  # a document field: the document, not the task, is the subject
        return _about_document(asked, places)
    if not subject:
        return _with_places(fallback, places, frozenset())
    if subject[:1].isupper() and _UNIT.match(fold(subject)):  # "Còn Sở Nội vụ thì sao?": what it is given to do
        return f"Nhiệm vụ của {subject}{place} là gì?"
    if intent.kind in ("who", "when"):
        role = next((r for r in ("timeline", "coordinating", "directing", "advising", "lead") if r in intent.roles),
                    "lead")
        return _ROLE_TEMPLATES[role].format(topic=subject, place=place)
    if asked is not None:  # a count, a list, a document field: ask it about the earlier topic
        return _tidy(f"{_core(asked)} {subject}{place}?")
    return _tidy(f"{subject}{place}?")


def _replace_anaphor(question: str, span: tuple[int, int], context: str, places: list[Province],
                     known: frozenset[str]) -> str:
    pointed = fold(question[span[0]:span[1]])
    if _DOCUMENT_REF.fullmatch(pointed):
        return _tidy(question[: span[0]] + _document_phrase(places) + question[span[1]:])
    if _ANAPHOR_ACCENTED.fullmatch(question[span[0]:span[1]].lower()) and \
            topic(question[: span[0]], known):  # "việc quán triệt đó": it names its own topic
        rewritten = question[: span[0]] + question[span[1]:]
        return _tidy(rewritten if find_provinces(rewritten, known) else _core(rewritten) + _place_phrase(places) + "?")
    subject = topic(context, known) or "nội dung trên"
    rewritten = question[: span[0]] + subject + question[span[1]:]
    if find_provinces(rewritten, known):
        return _tidy(rewritten)
    return _tidy(_core(rewritten) + _place_phrase(places) + "?")


def _about_document(question: str, places: list[Province]) -> str:
    """"Ai ký?" → "Ai ký kế hoạch của Ninh Thuận?"; "Ban hành ngày nào?" → "Kế hoạch của … ban hành ngày nào?"."""
    core = _core(question)
    document = _document_phrase(places)
    named = _DOCUMENT_NOUN.search(fold(core))
    if named and len(fold(core)) == len(core):  # "Ai ký kế hoạch?": that noun is the document
        return _tidy(f"{core[: named.start()]}{document}{core[named.end():]}?")
    if _ASKS_FIRST.match(fold(core)):
        return _tidy(f"{core} {document}?")
    return _tidy(f"{document} {core[:1].lower()}{core[1:]}?")


def _without_place_pointer(question: str) -> tuple[str, bool]:
    """"Ở đó đơn vị nào phối hợp?" → ("đơn vị nào phối hợp?", True)."""
    lowered = question.lower()
    match = _PLACE_POINTER.search(lowered) if len(lowered) == len(question) else None
    if not match:
        return question, False
    return " ".join((question[: match.start()] + question[match.end():]).split()), True


def _named_agency(question: str, context: str, known: frozenset[str]) -> str:
    """"Sở đó có nhiệm vụ gì?" after a question naming Sở Thông tin và Truyền thông: that agency."""
    lowered = question.lower()
    match = _AGENCY_POINTER.search(lowered) if len(lowered) == len(question) else None
    agency = _agency_in(context) if match else None
    if not agency:
        return question
    return question[: match.start()] + agency + question[match.end():]


def _agency_in(text: str) -> str | None:
    """The first agency the thesaurus knows that a question names, as written there."""
    folded = not has_diacritics(text)
    form = fold(text) if folded else match_form(text)
    if len(form) != len(text):
        return None
    table = phrases(folded)
    for m in phrase_pattern(folded).finditer(form):
        if table[m.group()][1]:
            return text[m.start() : m.end()]
    return None


def _continues(question: str, context: str, known: frozenset[str]) -> bool:
    """Does a question with a topic of its own go on from the earlier one ("Vậy …", or a
    shared word), so that it is about the same province?"""
    if _CONNECTIVE.match(fold(question)):
        return True
    own = set(fold(topic(question, known)).split())
    return bool(own & set(fold(topic(context, known)).split()))


def _in_place(question: str, places: list[Province]) -> str:
    core = _core(question)
    core = re.sub(r"^(?:[Vv]ậy|[Tt]hế|[Rr]ồi)\s+", "", core)
    return _tidy(core + _place_phrase(places) + "?")


def _merged(first: list[Province], second: list[Province]) -> list[Province]:
    return first + [p for p in second if p not in first]


def _with_places(question: str, places: list[Province], known: frozenset[str]) -> str:
    """The question asked about other provinces: the first province it names becomes
    the new ones, the others go; a question that named none gets them at its end."""
    named = find_provinces(question, known)
    folded = fold(question)
    if not named or len(folded) != len(question):
        return _tidy(_core(question) + _place_phrase(places) + "?")
    first = first_mention(question, named[0])
    if first is None:
        return _tidy(_core(question) + _place_phrase(places) + "?")
    marker = "\x00"
    swapped = question[: first[0]] + marker + question[first[1]:]
    bare = remove_province_names(swapped, named[1:]) if named[1:] else swapped
    return _tidy(bare.replace(marker, _names(places)))


def _names(places: list[Province]) -> str:
    return " và ".join(p.name for p in places)


def _place_phrase(places: list[Province]) -> str:
    return f" ở {_names(places)}" if places else ""


def _document_phrase(places: list[Province]) -> str:
    return "kế hoạch" + (f" của {_names(places)}" if places else "")


def _core(question: str) -> str:
    """The question without its leading "còn", trailing "thì sao" or question mark."""
    folded = fold(question)
    if len(folded) == len(question):
        tail = _TAILS.search(folded)
        if tail:
            question, folded = question[: tail.start()], folded[: tail.start()]
        lead = _LEADS.match(folded)
        if lead:
            question = question[lead.end():]
    return question.strip().rstrip("?.! ").strip()


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([?,.!])", r"\1", text)
    return text[:1].upper() + text[1:]

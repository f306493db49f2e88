"""What a question asks for: who (which unit), when, a document's metadata,
a count, a list, a comparison, or just what the plans say. Patterns are written
with diacritics and also matched, folded, against questions typed without them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..ingest.text import fold, has_diacritics, match_form

_META = {
    "signer": r"\b(ai|người nào|lãnh đạo nào) (đã )?ký\b|\bngười ký\b|\bký (ban hành|văn bản|kế hoạch|công văn)\b"
              r"|\bsign(ed|er|atory|s)?\b",
    "number": r"\bsố (hiệu|mấy|bao nhiêu|văn bản|ký hiệu)\b|\bký hiệu\b|\bmang số\b|\bnumber(ed)?\b",
    "date": r"\b(ban hành|ký|ra đời|ra (công văn|văn bản|kế hoạch))\b( \w+){0,8} (vào )?(khoảng )?"
            r"(ngày|khi|lúc|tháng|năm|thời gian) (nào|mấy)\b"
            r"|\bngày (ban hành|ký)\b"
            r"|\bban hành khi nào\b|\bdated?\b|\bissued (on|in|when)\b|\bwhen was\b",
    "issuer": r"\b(cơ quan|ai|đơn vị|cấp) (nào )?(đã )?ban hành\b|\bdo (ai|cơ quan nào) ban hành\b"
              r"|\bban hành bởi\b|\bissued by\b|\bwho issued\b|\bissuing\b",
    "implements": r"\b(triển khai|thực hiện|căn cứ|cụ thể hóa) (văn bản|nghị quyết|kết luận|kế hoạch|chỉ thị"
                  r"|chương trình)( nào| gì| của ai)\b|\bcăn cứ (vào )?(đâu|văn bản nào)\b|\bimplement",
    "replaces": r"\bthay thế\b|\breplac",
    "province": r"\b(là )?của tỉnh nào\b|\bthuộc (về )?tỉnh nào\b|\btỉnh nào ban hành\b|\bwhich province (issued|is)\b",
    "kind": r"\b(loại|hình thức|thể loại) văn bản\b|\blà (kế hoạch|công văn) hay\b|\bkind of document\b",
    "title": r"\b(tên|tiêu đề|trích yếu) (của )?(kế hoạch|văn bản|công văn)\b|\btitle\b|\bsubject\b",
    "recipients": r"\bgửi (đến |cho |tới )?(những |các )?(cơ quan|đơn vị|nơi|ai|đâu)\b|\bđược gửi\b|\bnơi nhận\b"
                  r"|\bkính gửi\b|\brecipients?\b|\bsent to\b|\baddressed to\b",
}
# "ai" as the subject ("Ai chủ trì", "do ai", "giao ai"), not as an object ("với những ai")
_WHO = (r"^ai\b|\b(do|giao|giao cho|là|thì) ai\b|\bai (là|chủ trì|chịu|phụ trách|thực hiện|làm|đảm nhận"
        r"|lo|được giao|phải|sẽ|có trách nhiệm|tham mưu|đảm nhận)\b"
        r"|\b(cơ quan|đơn vị|sở|ban|bộ phận|lực lượng|ngành|tổ chức) nào\b|\bchủ trì\b"
        r"|\bchịu trách nhiệm\b|\bphụ trách\b|\bđảm (nhiệm|nhận)\b|\bđầu mối\b|\bgiao cho\b|\bđược giao\b"
        r"|\bwho\b|\bwhich (unit|agency|department|body|office|organi[sz]ation)s?\b|\bresponsible\b"
        r"|\bin charge\b")
_ROLES = {
    "coordinating": r"\bphối hợp\b|\bcoordinat",
    "directing": r"(?<!ban )(?<!bản )\bchỉ đạo\b|\bdirect(s|ing|ed)?\b",  # not "Ban Chỉ đạo"
    "advising": r"\btham mưu\b|\badvis",
}
_WHEN = (r"\bkhi nào\b|\bbao giờ\b|\bthời gian\b|\bthời hạn\b|\bhạn chót\b|\bngày nào\b|\btháng nào\b"
         r"|\bthời điểm\b|\bkéo dài\b|^hạn\b"
         r"|\bnăm nào\b|\blúc nào\b|\bđịnh kỳ\b|\bbao lâu\b|\bmốc\b|\bwhen\b|\bdeadline\b|\bhow often\b"
         r"|\btimeline\b|\bby what date\b|\bwhat date\b")
_COUNT = r"\bbao nhiêu\b|\bmấy\b|\bhow many\b|\bhow much\b|\bwhat percentage\b"
_LIST = (r"\bnhững (\w+ ){0,8}(gì|nào)\b|\bnhững ai\b|\bliệt kê\b|\bgồm (những )?(gì|nào)\b"
         r"|\bbao gồm\b|\bwhat are\b|\blist\b|\bcác (\w+ ){1,2}nào\b")
_COMPARE = (r"\bso sánh\b|\bkhác nhau\b|\bgiống nhau\b|\bkhác gì\b|\bcác tỉnh\b|\btỉnh nào\b"
            r"|\bcompare\b|\bdiffer|\beach province\b")
# words that say how a question is asked, not what it is about
_CUES = (r"\bai\b|\b(cơ quan|đơn vị|sở|ban|bộ phận|ngành) nào\b|\bchịu trách nhiệm\b|\bphụ trách\b"
         r"|\bđảm nhiệm\b|\bkhi nào\b|\bbao giờ\b|\bngày nào\b|\btháng nào\b|\bnăm nào\b|\blúc nào\b"
         r"|\bthời gian( thực hiện)?\b|\bthời hạn\b|\bbao nhiêu\b|\bmấy\b|\bnhững gì\b|\blà gì\b|\bgì\b"
         r"|\bnào\b|\bliệt kê\b|\bso sánh\b|\bkhác nhau\b|\bthế nào\b|\bthì sao\b|\bcòn\b"
         r"|\bquy định\b|\bđược giao\b|\bgiao cho\b|\bnhiệm vụ\b|\bcó\b|\bđược\b|\bkhông\b"
         r"|\b(thời hạn|hạn chót)\b|^hạn\b|\bthời điểm\b|\bkéo dài\b|\bđảm nhận\b|\bđề ra\b|\bđặt ra\b"
         r"|\bnêu\b|\bphần\b|\btính chất\b|\bđối tượng\b|\bphần trăm\b|\btỷ lệ\b|\bgiao\b"
         r"|\bbằng cách nào\b|\bra sao\b|\blàm sao\b|\bchủ đề\b|\bmục\b(?! (tiêu|đích))|\bkhoảng\b"
         # "kế hoạch (của tỉnh)" means the document asked about, unless it names another plan
         r"|\b(theo |trong )?(kế hoạch|văn bản|công văn)\b(?! (số|\d|triển khai|hành động|hoạt động))")
_PLURAL = r"\b(những|các) (cơ quan|đơn vị|sở|ban|ngành) nào\b"
_ENGLISH = frozenset("the is are who what which when does do how of for in to plan plans province "
                     "and by a an with whom responsible report".split())


@dataclass(frozen=True)
class Intent:
    kind: str  # "metadata", "who", "when", "count", "list", "what", "part"
    meta: tuple[str, ...] = ()  # metadata fields asked for
    roles: tuple[str, ...] = ()  # task fields asked for: lead, coordinating, timeline, …
    compare: bool = False
    english: bool = False
    plural: bool = False  # "những sở nào": several units, perhaps a whole section's list
    # the classifier's probability of each kind (query/intent.py); () for the keyword reading
    kinds: tuple[tuple[str, float], ...] = ()
    answerable: float = 0.5  # the classifier's: that plans like ours answer such a question at all

    def p(self, kind: str) -> float:
        """How likely the question asks for `kind`: the classifier's probability, or
        1/0 for the keyword reading that follow-ups are rewritten with."""
        if self.kinds:
            return dict(self.kinds).get(kind, 0.0)
        return 1.0 if kind == self.kind or (kind == "list" and self.plural) else 0.0


def analyse(question: str, provinces_named: int = 0) -> Intent:
    """The keyword reading of a question, as typed: follow-ups are rewritten with it
    (query/followup.py). The answer reads the learnt one (`read_intent`)."""
    form, folded = _forms(question)
    english = is_english(question)
    meta = tuple(name for name, pattern in _META.items() if _search(pattern, form, folded))
    compare = provinces_named >= 2 or _search(_COMPARE, form, folded)
    roles = tuple(r for r, p in _ROLES.items() if _search(p, form, folded))
    who = _search(_WHO, form, folded) or bool(roles)
    when = _search(_WHEN, form, folded)
    if meta:
        return Intent("metadata", meta=meta, compare=compare, english=english)
    if who or when:
        asked = (roles or (("lead",) if who else ())) + (("timeline",) if when else ())
        plural = _search(_PLURAL, form, folded)
        return Intent("who" if who else "when", roles=asked, compare=compare, english=english, plural=plural)
    for kind, pattern in (("count", _COUNT), ("list", _LIST)):
        if _search(pattern, form, folded):
            return Intent(kind, compare=compare, english=english)
    return Intent("what", compare=compare, english=english)


def content(question: str) -> str:
    """The question without its question words: what it is about. A cue is matched
    without diacritics only where it was typed without them ("co" is "có", but the
    "cơ" of "cơ quan" stays)."""
    form, folded = _forms(question)
    kept = list(question)
    for target, is_folded in ((form, False), (folded, True)):
        if len(target) != len(question):
            continue
        for match in _compiled(_CUES, is_folded).finditer(target):
            if is_folded and not question[match.start() : match.end()].isascii():
                continue
            kept[match.start() : match.end()] = " " * (match.end() - match.start())
    return " ".join("".join(kept).split())


def _forms(question: str) -> tuple[str, str]:
    form = match_form(question)
    return (form if len(form) == len(question) else question.lower()), fold(question)


def _search(pattern: str, form: str, folded: str) -> bool:
    """Typed with diacritics, a question is matched with them ("định kỳ" is not "ký")."""
    if has_diacritics(form):
        return bool(_compiled(pattern, False).search(form))
    return bool(_compiled(pattern, True).search(folded))


@lru_cache(maxsize=None)
def _compiled(pattern: str, folded: bool) -> re.Pattern:
    return re.compile(fold(pattern) if folded else match_form(pattern))


def is_english(question: str) -> bool:
    if has_diacritics(question):
        return False
    words = re.findall(r"[a-z]+", question.lower())
    return len(words) >= 3 and sum(w in _ENGLISH for w in words) >= 2


def read_intent(reading, provinces_named: int, english: bool) -> Intent:
    """The classifier's reading (query/intent.py `Reading`) as an Intent: the most
    likely kind; a comparison when it is the most likely or two provinces are named,
    then read as the most likely of the other kinds; the fields most likely asked."""
    kinds = dict(reading.kinds)
    compare = provinces_named >= 2 or max(kinds, key=kinds.get) == "compare"
    kind = max((k for k in kinds if k != "compare"), key=kinds.get)
    meta = reading.asked_fields() if kind == "metadata" else ()
    roles: tuple[str, ...] = ()
    if kind == "who":
        who_roles = {r: p for r, p in reading.roles.items() if r != "timeline"}
        roles = (max(who_roles, key=who_roles.get),) if who_roles else ("lead",)
    elif kind == "when":
        roles = ("timeline",)
    return Intent(kind, meta=meta, roles=roles, compare=compare, english=english,
                  kinds=tuple(sorted(kinds.items())), answerable=reading.answerable)

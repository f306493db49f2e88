"""The five task groups of Kết luận 57-KL/TW, which the provincial plans follow, and
which of them a plan's own task group belongs to. The labels are short names for the
columns; what each province says under a group is always quoted from its plan."""

from __future__ import annotations

from ..ingest.text import fold

# (key, label, words that name the group in a plan's group title)
_GROUPS = (
    ("quan-triet", "Quán triệt, tuyên truyền", ("quan triet",)),
    ("phoi-hop", "Phối hợp, quản lý nhà nước", ("phoi hop",)),
    ("doi-moi", "Đổi mới nội dung, phương thức", ("doi moi",)),
    ("dau-tranh", "Đấu tranh phản bác thông tin sai trái", ("dau tranh", "phan bac")),
    ("nguon-luc", "Nguồn lực", ("nguon luc",)),
)
TOPICS: tuple[tuple[str, str], ...] = tuple((key, label) for key, label, _ in _GROUPS)


def topic_label(key: str) -> str:
    return dict(TOPICS)[key]


def topic_of(group_title: str) -> str | None:
    """The topic whose words come first in a group's title ("Tăng cường công tác phối hợp
    …; hoàn thiện cơ chế" → "phoi-hop"); None when it names none of them."""
    folded = fold(group_title)
    places = [(folded.find(word), key) for key, _, words in _GROUPS for word in words if word in folded]
    return min(places)[1] if places else None

"""Vocabulary of provincial plans on external information work: groups of
expressions that mean the same thing (administrative synonyms, and English
terms for questions asked in English), the names of provincial agencies, and
common abbreviations. Used for matching only; answers quote the documents."""

from __future__ import annotations

import re
from functools import lru_cache

from ..ingest.normalise import expand_abbreviations  # noqa: F401  (re-exported: the one shared table)
from ..ingest.text import fold, match_form, nfc

# each line: expressions with one meaning, separated by "|"
_GROUPS = """
khen thưởng|biểu dương|tôn vinh|vinh danh|commend|commendation|commendations|reward|rewards|award|awards
kinh phí|ngân sách|nguồn kinh phí|tiền|budget|funding|funds|money
dự toán|dự toán ngân sách|estimate|estimates
trang thông tin điện tử|cổng thông tin điện tử|cổng/trang thông tin điện tử|website|trang web|web portal|portal
người Việt Nam ở nước ngoài|kiều bào|cộng đồng người Việt|overseas Vietnamese|diaspora
báo chí|cơ quan báo chí|phóng viên|nhà báo|press|media|newspapers|journalist|journalists|reporter|reporters
thông tin xấu độc|thông tin sai trái|thông tin sai sự thật|thông tin sai lệch|tin giả|xuyên tạc|fake news|misinformation|disinformation|false information
không gian mạng|cyberspace|online space
mạng xã hội|social media|social networks
phương tiện truyền thông mới|new media
đào tạo|bồi dưỡng|tập huấn|training|train
báo cáo|report|reports|reporting
thời hạn|hạn chót|hạn|deadline|due date
quảng bá|giới thiệu|promote|promotes|promotion|publicize
tuyên truyền|propaganda|communication|communicate
phối hợp|coordinate|coordinates|coordinating|coordination|cooperate
đầu tư|investment|investors|invest
du lịch|tourism
văn hóa|culture|cultural
thẩm định|appraise|appraisal|verify
bảo mật|giữ bí mật|bí mật|confidentiality|confidential|secrecy|secret
chấp hành|tuân thủ|compliance|comply|complies
an ninh|security
quân sự|quân đội|military|army
ký|sign|signs|signed|signatory
thay thế|replace|replaces|replaced|supersede|supersedes
nghị định|decree
quyết định|decision
nghị quyết|resolution
kết luận|conclusion
chỉ thị|directive
kế hoạch|plan
công văn|official letter|letter|dispatch
chức vụ|position|title
tỉnh ủy|provincial party committee
ban thường vụ|standing committee
mục tiêu|goal|goals|objective|objectives|target|targets
phương châm|motto|guiding principle|principle
tiếng nước ngoài|ngoại ngữ|foreign language|foreign languages
phim|phóng sự|video clip|video|film|films|documentary
giám sát|kiểm tra|theo dõi|monitor|monitoring|supervise|oversee|inspect|check|checks
chuyên trách|full-time|dedicated
vị trí việc làm|job position|job positions|post|posts
hội nghị|hội thảo|conference|conferences|workshop|workshops
doanh nghiệp|business|businesses|enterprise|enterprises
cán bộ|công chức|official|officials|civil servant|civil servants|staff
lãnh đạo|leader|leaders|leadership
quản lý nhà nước|state management
phát thanh|truyền hình|radio|television|broadcasting
chuyển đổi số|digital transformation
ứng dụng công nghệ thông tin|information technology
trích yếu|v/v|subject
tạo điều kiện|tạo thuận lợi|facilitate
gửi|nộp|send|submit|submits
chấn chỉnh|chỉnh đốn|rectify|correct
quốc tế|thế giới|international|world
thông tin đối ngoại|external information|foreign information
hoạt động|activity|activities
kênh|channel|channels
tỉnh|province|provincial
chính phủ|government
phụ lục|appendix|annex
nhiệm kỳ|term
tỷ đồng|billion VND|billion dong|billion
ít nhất|tối thiểu|at least|minimum
vị trí việc làm chuyên trách|chỗ làm chuyên trách|full-time post|full-time position
cung cấp thông tin|cấp tin|cung cấp tin|provide information|supply information
chú trọng|để ý|chú ý|quan tâm|focus|pay attention
đầu mối|focal point|contact point
Bộ Ngoại giao|Ministry of Foreign Affairs
phần trăm|percent|percentage
triệu đồng|million VND|million dong|million
bố trí|phân bổ|allocate|allocates|allocated|allocation
đại hội|congress
"""

# Provincial agencies: named in a question, they must appear in the answering passage.
UNITS = """
Sở Nội vụ|department of home affairs|home affairs department
Sở Ngoại vụ|department of foreign affairs|foreign affairs department
Sở Tài chính|department of finance|finance department
Sở Thông tin và Truyền thông|department of information and communications
Sở Kế hoạch và Đầu tư|department of planning and investment
Sở Công Thương|department of industry and trade
Sở Văn hóa, Thể thao và Du lịch|Sở Văn hóa Thể thao và Du lịch|department of culture, sports and tourism
Sở Giáo dục và Đào tạo|department of education and training
Sở Y tế|department of health
Sở Tư pháp|department of justice
Sở Tài nguyên và Môi trường|department of natural resources and environment
Sở Nông nghiệp và Phát triển nông thôn|department of agriculture and rural development
Sở Lao động - Thương binh và Xã hội|department of labour, invalids and social affairs
Sở Khoa học và Công nghệ|department of science and technology
Sở Xây dựng|department of construction
Sở Giao thông vận tải|department of transport
Công an tỉnh|provincial police|police
Bộ Chỉ huy Quân sự tỉnh|provincial military command
Bộ Chỉ huy Bộ đội Biên phòng tỉnh|border guard
Ban Tuyên giáo Tỉnh ủy|propaganda department|propaganda and education commission
Ban Dân vận Tỉnh ủy|mass mobilization commission
Ban Tổ chức Tỉnh ủy|organization commission
Văn phòng Ủy ban nhân dân tỉnh|office of the provincial people's committee
Văn phòng Tỉnh ủy|office of the provincial party committee
Ban Chỉ đạo 35|steering committee 35
Đài Phát thanh và Truyền hình tỉnh|provincial radio and television
Tỉnh đoàn|youth union
Mặt trận Tổ quốc|fatherland front
Ban cán sự đảng Ủy ban nhân dân tỉnh
"""

@lru_cache(maxsize=2)
def phrases(folded: bool) -> dict[str, tuple[tuple[str, ...], bool]]:
    """expression (in match form, or folded) → (all expressions of its group, is it an agency)."""
    key = fold if folded else match_form
    table: dict[str, tuple[tuple[str, ...], bool]] = {}
    for block, is_unit in ((_GROUPS, False), (UNITS, True)):
        for line in nfc(block).strip().splitlines():
            group = tuple(p.strip() for p in line.split("|") if p.strip())
            if is_unit:  # "Công an tỉnh Bắc Giang" loses "tỉnh Bắc Giang" to province scoping
                group += tuple(p[: -len(" tỉnh")] for p in group if p.endswith(" tỉnh"))
            for expression in group:
                table.setdefault(" ".join(key(expression).split()), (group, is_unit))
    return table


@lru_cache(maxsize=2)
def phrase_pattern(folded: bool) -> re.Pattern:
    """Every expression, longest first, as whole words. Questions typed with diacritics
    are matched with them ("hạn" is not "Hàn"); questions typed without, folded."""
    ordered = sorted(phrases(folded), key=len, reverse=True)
    return re.compile(r"(?<![\w/])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w/])")

"""A large Vietnamese corpus generated from the real plans, for build and scale figures.

    python scripts/generate_corpus.py --documents 2000 --target /tmp/big-corpus

Copies of the same plans would be embedded once (the embedding cache recognises a
text it has seen), which would flatter every build time. So each generated document is
new text: a plan header (province, number, date), then 3–7 sections drawn from
the pool of sections of corpus/ and eval/other-domain/corpus/, each with its numbers,
years, province and lead unit replaced and its sentences reordered, seeded by the
document's number. 2,000 documents come to about 9 MB, as the issue's reference corpus
(2,249 law articles, 9.1 MB). `make_questions` gives, for a sample of documents, a
question made from one of its own sentences, with that document as the answer, for doc@1.

Deterministic: the same arguments give the same files."""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "corpus", ROOT / "eval" / "other-domain" / "corpus")
PROVINCES = ("Hà Giang", "Cao Bằng", "Lào Cai", "Yên Bái", "Thái Nguyên", "Lạng Sơn", "Phú Thọ", "Bắc Ninh",
             "Hải Dương", "Hưng Yên", "Thái Bình", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
             "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Bình Định", "Phú Yên", "Khánh Hòa",
             "Kon Tum", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai",
             "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang",
             "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Điện Biên", "Lai Châu", "Sơn La", "Hòa Bình")
UNITS = ("Sở Nội vụ", "Sở Ngoại vụ", "Sở Thông tin và Truyền thông", "Sở Văn hóa, Thể thao và Du lịch",
         "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Công Thương", "Công an tỉnh",
         "Bộ Chỉ huy Quân sự tỉnh", "Ban Tuyên giáo Tỉnh ủy", "Đài Phát thanh và Truyền hình tỉnh", "Báo tỉnh",
         "Sở Tư pháp", "Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Y tế",
         "Sở Lao động - Thương binh và Xã hội", "Ban Dân tộc tỉnh", "Liên hiệp các tổ chức hữu nghị tỉnh")
TOPICS = ("thông tin đối ngoại", "quảng bá hình ảnh địa phương", "hợp tác quốc tế", "xúc tiến đầu tư",
          "công tác người Việt Nam ở nước ngoài", "chuyển đổi số", "biên giới và lãnh thổ", "du lịch và văn hóa")
_SECTION = re.compile(r"\n(?=(?:[IVX]+\.|\d+\.|[a-zđ]\))\s)")
_NUMBER = re.compile(r"\b\d{1,4}\b")
_SENTENCE = re.compile(r"(?<=[.;:])\s+")
_UNIT = re.compile("|".join(re.escape(u) for u in UNITS))


def section_pool() -> list[str]:
    """Sections of the real documents with some body to them."""
    pool = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            pool.extend(s.strip() for s in _SECTION.split(text) if 200 <= len(s.strip()) <= 2500)
    return pool


def _vary(section: str, rng: random.Random, province: str) -> str:
    section = _NUMBER.sub(lambda m: str(rng.randint(1, 2030) if len(m.group()) == 4 else rng.randint(1, 99)),
                          section)
    section = _UNIT.sub(lambda m: rng.choice(UNITS), section)
    for name in PROVINCES + ("Ninh Thuận", "Bắc Giang", "Gia Lai", "Quảng Ngãi", "Tuyên Quang"):
        section = section.replace(name, province)
    head, _, body = section.partition("\n")
    sentences = _SENTENCE.split(body)
    rng.shuffle(sentences)
    return head + "\n" + " ".join(sentences)


def document(n: int, pool: list[str]) -> tuple[str, str]:
    """(file stem, text) of generated document n."""
    rng = random.Random(n)
    province = rng.choice(PROVINCES)
    topic = rng.choice(TOPICS)
    header = (f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}\nSố: {rng.randint(1, 400)}/KH-UBND\n"
              f"{province}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {rng.randint(2019, 2025)}\n\n"
              f"KẾ HOẠCH\nThực hiện công tác {topic} năm {rng.randint(2020, 2026)} (văn bản {n})\n\n")
    sections = [_vary(rng.choice(pool), rng, province) for _ in range(rng.randint(3, 7))]
    return f"ke-hoach-{n:05d}", header + "\n\n".join(sections) + "\n"


def generate(target: Path, documents: int) -> int:
    """Write `documents` files into target; returns the bytes written."""
    target.mkdir(parents=True, exist_ok=True)
    pool, written = section_pool(), 0
    for n in range(documents):
        stem, text = document(n, pool)
        path = target / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        written += len(text.encode())
    return written


def make_questions(documents: dict[str, str], count: int, seed: int = 0) -> list[dict]:
    """For `count` documents (doc id → text): a question made of one of its sentences,
    a third of its words dropped, with that document as the answer."""
    rng = random.Random(seed)
    chosen = rng.sample(sorted(documents), min(count, len(documents)))
    questions = []
    for doc_id in chosen:
        sentences = [s for s in _SENTENCE.split(documents[doc_id]) if len(s.split()) >= 12]
        if not sentences:
            continue
        words = rng.choice(sentences).split()
        kept = [w for w in words if rng.random() > 0.33]
        questions.append({"question": " ".join(kept[:30]), "docs": [doc_id]})
    return questions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--target", type=Path, required=True)
    args = parser.parse_args(argv)
    written = generate(args.target, args.documents)
    print(f"{args.documents} documents, {written / 2**20:.1f} MB in {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Generate a realistic archive of N documents, deterministic from a seed.

The documents follow the patterns of the real seeds: Thông báo kết luận of weekly
meetings with per-leader task lists and dated deadlines, Công văn with appendix task
tables, Báo cáo with numbered sections; numbering restarts each year; agencies, people
with dated roles and the 2025 mergers come from the real registry; documents cite
earlier ones (and the Party documents they implement).

    python bench/generate.py N OUT_DIR [--seed S]

writes OUT_DIR/content/{documents/*.md, sources/, registry.yaml} (stored YAML + Markdown,
what a full build starts from).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.model import Document, Reference, Signer, Task  # noqa: E402
from builder.registry import load_registry  # noqa: E402
from builder.store import dump_document  # noqa: E402
from builder.text import slugify, vn_date  # noqa: E402

TOPICS = [
    "giải ngân vốn đầu tư công", "phát triển nhà ở xã hội", "cải cách hành chính", "chuyển đổi số",
    "phòng, chống thiên tai", "thu ngân sách nhà nước", "quy hoạch chung thành phố", "an toàn thực phẩm",
    "giải phóng mặt bằng", "xúc tiến đầu tư", "bảo vệ môi trường", "phát triển du lịch", "an sinh xã hội",
    "chính quyền địa phương hai cấp", "khu công nghiệp", "hạ tầng giao thông", "giáo dục nghề nghiệp",
    "y tế cơ sở", "kiểm soát thủ tục hành chính", "cụm công nghiệp",
]
VERBS = ["Khẩn trương hoàn thiện hồ sơ", "Rà soát, tổng hợp", "Chủ trì, phối hợp với các cơ quan liên quan tham mưu",
         "Xây dựng kế hoạch", "Kiểm tra, đôn đốc", "Báo cáo Ủy ban nhân dân thành phố về", "Tổ chức triển khai"]
WORDS = ("tăng cường công tác quản lý nhà nước bảo đảm tiến độ chất lượng hiệu quả theo quy định của pháp luật "
         "trên địa bàn thành phố đề xuất giải pháp tháo gỡ khó khăn vướng mắc phát sinh kịp thời báo cáo kết quả "
         "thực hiện các chỉ tiêu nhiệm vụ được giao năm kế hoạch dự án công trình trọng điểm").split()
SYMBOLS = {"Thông báo": "TB-VP", "Công văn": "VP-TH", "Báo cáo": "BC-UBND", "Kế hoạch": "KH-UBND", "Quyết định": "QĐ-UBND"}


class Archive:
    def __init__(self, n: int, seed: int):
        self.rng = random.Random(seed)
        self.n = n
        registry = load_registry(ROOT / "content" / "registry.yaml")
        self.agencies = [a.name for a in registry.agencies.values() if a.name.startswith("Sở ") and not a.valid_to]
        self.people = list(registry.people)
        self.numbers: dict[tuple[int, str], int] = {}
        self.made: list[Document] = []

    def sentence(self, words: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(words))

    def document(self, i: int) -> Document:
        day = date(2016, 1, 4) + timedelta(days=int(i * 3650 / self.n))
        kind = self.rng.choices(list(SYMBOLS), weights=[5, 4, 2, 1, 1])[0]
        symbol = SYMBOLS[kind]
        key = (day.year, symbol)
        self.numbers[key] = self.numbers.get(key, 0) + self.rng.randint(1, 4)
        number = str(self.numbers[key]) if kind != "Công văn" or self.rng.random() < 0.6 else None
        topic = self.rng.choice(TOPICS)
        title = f"Kết luận của Chủ tịch Ủy ban nhân dân thành phố về {topic}" if kind == "Thông báo" else (
            f"{'triển khai' if kind == 'Công văn' else 'Tình hình'} {topic} tháng {day.month} năm {day.year}")
        doc = Document(id="", type=kind, title=title, number=number, symbol=symbol,
                       issued=day.isoformat() if number or self.rng.random() < 0.5 else f"{day:%Y-%m}",
                       place="Hải Phòng", issuer="Văn phòng Ủy ban nhân dân thành phố",
                       signer=Signer(name=self.rng.choice(self.people), position="Chánh Văn phòng"),
                       presiding=self.rng.choice(self.people))
        doc.id = f"{day.year}-{number}-{slugify(symbol)}" if number else f"{day.year}-{slugify(symbol)}-{i:05d}"
        self.fill(doc, day, topic)
        self.made.append(doc)
        return doc

    def fill(self, doc: Document, day: date, topic: str) -> None:
        parts, tasks = [f"Ngày {vn_date(day.isoformat())}, Ủy ban nhân dân thành phố họp về {topic}. "
                        f"{self.sentence(40)}.\n"], []
        for s in range(1, self.rng.randint(3, 7)):
            parts.append(f"## {s}. Về {self.rng.choice(TOPICS)} {{: #muc-{s} }}\n\n{self.sentence(60)}.\n")
            for k, letter in enumerate("abcdeg"[: self.rng.randint(2, 6)]):
                lead = self.rng.choice(self.agencies)
                due = day + timedelta(days=self.rng.randint(5, 90))
                text = f"{letter}) Giao {lead} {self.rng.choice(VERBS).lower()} {self.sentence(25)}"
                dated = self.rng.random() < 0.5
                if dated:
                    text += f"; hoàn thành trước ngày {vn_date(due.isoformat())}."
                anchor = f"muc-{s}-{letter}"
                parts.append(f"{text}\n{{: #{anchor} }}\n")
                tasks.append(Task(text=text, section=f"{s}.{letter}", anchor=anchor, lead=[lead],
                                  leader=doc.presiding, due=due.isoformat() if dated else None,
                                  due_text=f"hoàn thành trước ngày {vn_date(due.isoformat())}" if dated else None))
        if doc.type == "Công văn":
            parts.append(self.appendix(day, tasks))
        doc.references = self.references(day)
        doc.body = "\n".join(parts)
        doc.tasks = tasks
        doc.agencies = sorted({a for t in tasks for a in t.lead})
        doc.people = sorted({p for p in (doc.presiding, doc.signer.name) if p})

    def appendix(self, day: date, tasks: list[Task]) -> str:
        rows = ["## PHỤ LỤC CÁC NHIỆM VỤ\n", "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn |", "|---|---|---|---|"]
        for r in range(1, self.rng.randint(5, 40)):
            lead = self.rng.choice(self.agencies)
            due = self.rng.choice(["Thường xuyên", f"Quý {self.rng.choice(['I', 'II', 'III', 'IV'])}/{day.year}",
                                   f"Tháng {self.rng.randint(1, 12)}/{day.year}"])
            rows.append(f"| {r} | {self.sentence(20)} | {lead} | {due} | {{: #pl-{r} }}")
            tasks.append(Task(text=self.sentence(20), section=f"Phụ lục, STT {r}", anchor=f"pl-{r}", lead=[lead], due_text=due))
        return "\n".join(rows) + "\n"

    def references(self, day: date) -> list[Reference]:
        refs = []
        for target in self.rng.sample(self.made[-200:], min(len(self.made), self.rng.randint(0, 3))):
            if target.number:
                refs.append(Reference(text=f"{target.type} số {target.number}/{target.symbol}", type=target.type,
                                      number=target.number, symbol=target.symbol, date=target.issued))
        refs.append(Reference(text=f"Nghị quyết số {self.rng.randint(1, 99):02d}-NQ/TU", type="Nghị quyết",
                              number=f"{self.rng.randint(1, 99):02d}", symbol="NQ/TU"))
        return refs


def generate(n: int, out: Path, seed: int = 1) -> Path:
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "documents").mkdir(parents=True)
    (content / "sources").mkdir()
    shutil.copy(ROOT / "content" / "registry.yaml", content / "registry.yaml")
    archive = Archive(n, seed)
    seen: set[str] = set()
    for i in range(n):
        doc = archive.document(i)
        while doc.id in seen:
            doc.id += "-b"
        seen.add(doc.id)
        (content / "documents" / f"{doc.id}.md").write_text(dump_document(doc), encoding="utf-8")
    return content


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int)
    p.add_argument("out", type=Path)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    print(generate(args.n, args.out, args.seed))


if __name__ == "__main__":
    main()

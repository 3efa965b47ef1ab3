"""People and agencies named in a document, by canonical name from the registry;
names that look like people or agencies but are not in the registry are kept as unverified."""

from __future__ import annotations

import re

from ..registry import Registry
from ..text import key

_ENUM = re.compile(r"(?:các|Các)\s+[Ssởỡ]+(?:,\s*ban,\s*ngành)?\s*:\s*(?P<list>[^:;.()]+)")
_NAME_WORD = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+"
_COMRADE = re.compile(rf"(?:đồng chí|Đồng chí)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})")


def enumerated_agencies(text: str, registry: Registry) -> list[str]:
    """'các sở, ban, ngành: Tài chính, Xây dựng, Văn hóa, Thể thao và Du lịch' names three Sở."""
    found: list[str] = []
    for m in _ENUM.finditer(text):
        rest = m.group("list")
        while rest:
            rest = rest.lstrip(" ,")
            rest = re.sub(r"^(?:và|cùng)\s+", "", rest)
            name = _longest_short_name(rest, registry)
            if name is None:
                break
            found.append(registry.short_names[key(name)])
            rest = rest[len(name) :]
    return found


def _longest_short_name(text: str, registry: Registry) -> str | None:
    words = text.split(" ")
    for n in range(min(len(words), 8), 0, -1):
        candidate = " ".join(words[:n]).rstrip(",")
        if key(candidate) in registry.short_names:
            return candidate
    return None


def named_entities(text: str, registry: Registry) -> tuple[list[str], list[str], list[str]]:
    """(people, agencies, unverified) in order of first appearance."""
    people: list[str] = []
    agencies: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in registry.find(text):
        target = people if m.kind == "person" else agencies
        if m.name not in target:
            target.append(m.name)
        spans.append((m.start, m.end))
    for name in enumerated_agencies(text, registry):
        if name not in agencies:
            agencies.append(name)
    unverified: list[str] = []
    titles = ("Phó", "Chủ", "Chánh", "Giám", "Bí", "Trưởng", "Lãnh", "Thủ", "Thành", "Ủy", "Văn", "Các")
    for s_, e_, name in agency_spans(text, registry):
        second = name.split()[1] if len(name.split()) > 1 else ""
        if name not in registry.agencies and name not in unverified and name.startswith(("Sở ", "Ban ", "Cục ")) \
                and second[:1].isupper():
            unverified.append(name)
    for pattern, prefix in ((_COMRADE, ""),):
        for m in pattern.finditer(text):
            if any(s <= m.start("name") < e for s, e in spans):
                continue
            name = prefix + m.group("name")
            if not prefix and name.split()[0] in titles:
                continue
            if registry.find(name) or name in unverified:
                continue
            unverified.append(name)
    return people, agencies, unverified


_HEAD = re.compile(
    r"(?<!\w)(?:(?:các|Các)\s+)?(?:Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Công an|Ban Quản lý|Ban quản lý|"
    r"Bộ Chỉ huy|Bộ|Cục|Chi cục|Thanh tra|Văn phòng|Trung tâm|Tổng công ty|Công ty|Đài|Hội đồng nhân dân|HĐND|"
    r"Kho bạc|Ngân hàng|Tòa án|Viện kiểm sát|Liên đoàn|Tỉnh đoàn|Thành đoàn|Điện lực|Đặc khu|Hải quan)(?!\w)"
)
_UNIT_WORDS = {"xã", "phường", "tỉnh", "huyện", "quận", "trấn", "phố"}  # a place name follows them
_PLACE_WORDS = {"xã", "phường", "tỉnh", "huyện", "quận", "thị", "trấn", "thành", "phố", "đặc", "khu", "cấp", "các"}
_CONNECT = {"và", "-", "&"}
_NAME_LOWER = {"cổ", "phần", "trách", "nhiệm", "hữu", "hạn", "nhà", "nước", "nhân", "dân", "quản", "lý", "dự", "án"}
_VERBS = {"báo", "chủ", "phối", "tham", "thực", "tổ", "hướng", "triển", "xây", "tổng", "rà", "đề", "kiểm", "theo",
          "có", "được", "là", "trình", "gửi", "đôn", "khẩn", "tiếp", "chỉ", "giao", "phải", "cần", "sớm", "căn",
          "nghiên", "đẩy", "tăng", "bảo", "quán", "ban", "thẩm", "cung", "lập", "ưu", "bố", "giải", "cấp",
          "nghiêm", "chuẩn", "yêu", "kịp", "chịu", "thường", "thu", "tuần", "sửa", "hoàn", "hỗ", "khắc", "đảm", "bổ",
          "nộp", "mời", "hiệu", "làm",
          "tại", "của", "cho", "để", "trong", "với", "từ", "trên", "về", "đối"}  # and prepositions: no name holds them
# Lower-case words a name may start with right after its head ('Công ty cổ phần …', 'Bộ đội Biên
# phòng', 'UBND các xã'); any other ('Công ty hiệu chỉnh …', 'Sở thường xuyên …') must lead to a
# capitalised name ('Tổng công ty xây dựng Trường Sơn').
_FIRST_LOWER = _PLACE_WORDS | {"cổ", "trách", "đội", "dự", "nhà", "nhân"}
# Two-word terms of the trade a company or unit is named after: the only words a lower-case
# stretch inside a name may hold (a verb and its object must not join the name: 'Chi cục Kiểm
# lâm tuần tra Rừng phòng hộ …').
_TRADE = {tuple(t.split()) for t in """điện lực|kim loại|hoá chất|hóa chất|xây dựng|hạ tầng|cơ sở|giao thông|
vận tải|thương mại|dịch vụ|đầu tư|phát triển|khoáng sản|công nghiệp|nông nghiệp|lâm nghiệp|thủy lợi|thuỷ lợi|
môi trường|đô thị|cấp nước|thoát nước|kỹ thuật|xuất khẩu|nhập khẩu|vật liệu|năng lượng|công trình|khai thác|
chế biến|sản xuất|cơ khí|thực phẩm|du lịch|bất động|tài chính|luyện kim|khai khoáng|tư vấn|thiết kế|hàng không|
quốc tế|xổ số|kiến thiết|quân sự|dân dụng|quỹ đất|hành chính|phát thanh|truyền hình|bưu chính|viễn thông|chiếu sáng|
cây xanh|công cộng|nhà ở|đường bộ|đường sắt|hàng hải|thủy sản|thuỷ sản|bảo hiểm|xã hội|y tế|giáo dục|đào tạo|
khoa học|công nghệ|thông tin|truyền thông|văn hóa|văn hoá|thể thao|nông thôn|kinh tế|an ninh|quốc phòng""".split("|")}
# Heads of names that go on describing the trade in lower case: 'Ban Quản lý dự án đầu tư xây
# dựng số 1', 'Công ty cổ phần Đầu tư xây dựng hạ tầng cơ sở'. (Not a Sở: 'Sở Tài chính xây
# dựng kế hoạch'.)
_TRADE_HEADS = {"Công ty", "Tổng công ty", "Ban Quản lý", "Ban quản lý"}
_COMPOUNDS = {("thị", "trường"), ("công", "nghiệp"), ("khu", "công")}  # 'Quản lý thị trường', '(Khu|khu) công nghiệp'
# alone, 'the company' the letter is about, or part of a title ('Luật Điện lực'): no name
_PRONOUN = {"Công ty", "Tổng công ty", "Trung tâm", "Điện lực", "Bộ Chỉ huy"}


def _extent(text: str, start: int, trade: bool = False) -> int:
    """End of an agency name starting at `start`: capitalised words, one lower-case word after
    a single capitalised one ('Văn hóa', 'Xây dựng'), place words ('các xã, phường'), connectors,
    a short lower-case stretch between capitalised words ('MTV điện lực Hải Phòng'), and for a
    `trade` head the trade described in lower case after a trade ('… dự án đầu tư xây dựng')."""
    return _Name(text, start, trade).end_of_name()


class _Name:
    """The walk of _extent over the words after a head, with what it has seen so far."""

    def __init__(self, text: str, start: int, trade: bool) -> None:
        self.text, self.start, self.trade = text, start, trade
        self.words = list(re.finditer(r"\S+", text[start:]))
        # 'Văn phòng Đoàn ĐBQH và HĐND tỉnh': one office of two bodies (not 'Văn phòng Thành ủy và HĐND …')
        self.office = text[:start].endswith("Văn phòng") and text[start:].lstrip().startswith("Đoàn ")
        self.end, self.last, self.through = start, "", 0  # end so far, last word taken, stretch taken up to
        # capitalised words in a row: after two ('Thành Nam', 'Việt Nam') a lower-case word is the
        # sentence's ('… Thành Nam thi công'), unless a stretch leads on to a capital
        self.caps = 0
        self.place = self.named = self.pair = self.tail = False

    def end_of_name(self) -> int:
        for i, m in enumerate(self.words):
            word = m.group(0)
            bare = word.rstrip(",;:.)")
            if not bare or "\n" in self.text[self.end : self.start + m.start()] or not self._takes(i, bare):
                break
            self._took(i, bare)
            if bare != word and not (word.endswith(",") and bare in _PLACE_WORDS and self.text[
                    self.start + m.end():].lstrip().startswith(("phường", "đặc khu"))):
                break
        return self.end

    def _takes(self, i: int, bare: str) -> bool:
        cap = bare[:1].isupper() or bare[:1].isdigit()
        at = self.start + self.words[i].start()
        nxt = self.words[i + 1].group(0) if i + 1 < len(self.words) else ""
        if self.named and not cap and bare not in _PLACE_WORDS and bare != "-":
            return False  # a place name ('xã Đông Cuông') is all capitals: 'hoàn thành', 'và Sở …' follow it
        if self.place and cap and _HEAD.match(self.text, at):
            return False  # 'tỉnh' ends this name: 'Sở …' starts the next
        head_next = nxt and _HEAD.match(self.text, self.start + self.words[i + 1].start())
        joins = bare in _CONNECT and nxt[:1].isupper() and (  # 'và Sở …' starts the next
            not head_next or self.office and nxt in ("HĐND", "Hội"))
        return cap or bare in _PLACE_WORDS or self._area(bare) or joins or self._lower_ok(i, bare)

    def _lower_ok(self, i: int, bare: str) -> bool:
        if not bare.islower():
            return False
        last, words, first_lower = self.last, self.words, i == 0 and bare not in _FIRST_LOWER
        if i >= self.through and (first_lower or self.pair or self.caps >= 2):
            self.through = _bridge(self.text, self.start, words, i, last)  # > i: up to a capitalised word
        if i >= self.through and self.trade and self.tail:
            past = _tail(self.text, self.start, words, i)
            if past > i:
                self.through, self.trade = past, False  # one tail per name
        if first_lower or i < self.through:
            return i < self.through
        one = self.caps == 1 or i == 0 or last in _CONNECT  # after one capitalised word, the head or 'và'
        return (last, bare) in _COMPOUNDS or (bare not in _VERBS and bare not in _CONNECT
                                              and (one or bare in _NAME_LOWER))

    def _area(self, bare: str) -> bool:
        return (self.last, bare) == ("khu", "vực")  # 'khu vực Trấn Yên': a place name follows

    def _took(self, i: int, bare: str) -> None:
        cap = bare[:1].isupper() or bare[:1].isdigit()
        last, area = self.last, self._area(bare)
        self.tail = (last.lower(), bare) in _TRADE or (last, bare) == ("dự", "án") or (self.tail and i < self.through)
        self.end = self.start + self.words[i].start() + len(bare)
        self.pair = bare.islower() and (self.caps >= 1 or i == 0) and bare not in _PLACE_WORDS  # 'Chế biến' …
        self.last = bare
        self.named = self.named or (self.place and cap)
        self.place, self.caps = bare in _UNIT_WORDS or area, self.caps + 1 if cap else 0


_DOC_NOUN = re.compile(r"(?:Kế hoạch|Đề án|Hội nghị|Nghị quyết|Nghị định|Quyết định|Thông báo|Thông tư|Chương trình"
                       r"|Báo cáo|Công văn|Văn bản|Tờ trình|Dự thảo|Dự án|Luật|Chỉ thị|Hồ sơ|Quy hoạch|Hợp đồng"
                       r"|Phương án|Phòng)(?!\w)")


def _bridge(text: str, start: int, words: list[re.Match[str]], i: int, last: str) -> int:
    """The index of the capitalised word that ends a lower-case stretch from words[i] inside a
    name, or 0: trade terms (_TRADE; words[i] may end one begun by `last`) on one line, no
    punctuation, then a capitalised word that starts no agency and no document ('… xây dựng Kế
    hoạch'). Right after the head the stretch is the name's ('Tổng công ty xây dựng Trường
    Sơn'); further on it holds no verb ('Chế biến kim loại Thủ Đô', 'MTV điện lực Hải Phòng')."""
    first = i == 0
    half = 0 if first or (last.lower(), words[i].group(0)) not in _TRADE else 1  # 'Xổ | số kiến thiết Hải Phòng'
    run = _trade_run(text, start, words, i + half, 4)
    j = i + half + (run[-1] if run else 0)
    if j == i or j >= len(words) or (not first and any(w.group(0) in _VERBS for w in words[i:j])):
        return 0
    word, at = words[j].group(0), start + words[j].start()
    if "\n" in text[start + words[j - 1].end() : at]:
        return 0
    if first and word.rstrip(",;:.)") in _UNIT_WORDS:
        return j  # 'Bộ Chỉ huy quân sự tỉnh'
    if not word[:1].isupper():
        return 0
    return j if not _HEAD.match(text, at) and not _DOC_NOUN.match(text, at) else 0


def _tail(text: str, start: int, words: list[re.Match[str]], i: int) -> int:
    """Past the lower-case trade described from words[i] ('đầu tư xây dựng công trình giao
    thông', then 'số 1'), or i. A stretch that ends in a verb-like term ('xây dựng', 'đầu tư')
    must end the name (punctuation, a place, a number, a capital); otherwise that term is the
    sentence's verb: 'Ban Quản lý dự án xây dựng kế hoạch', '… hạ tầng cơ sở xây dựng kế hoạch'."""
    stops = _trade_run(text, start, words, i)
    while stops:
        n = stops[-1]
        last = (words[i + n - 2].group(0), words[i + n - 1].group(0).rstrip(",;:.)"))
        if last not in _VERBAL or _ends_name(words, i + n):
            break
        stops.pop()
    n = stops[-1] if stops else 0
    if i + n + 1 < len(words) and words[i + n].group(0) == "số" and words[i + n + 1].group(0)[:1].isdigit():
        return i + n + 1  # 'số 1': the number is taken as a capital
    return i + n


_VERBAL = {tuple(t.split()) for t in ("xây dựng", "đầu tư", "khai thác", "sản xuất", "tư vấn", "thiết kế",
                                      "phát triển", "chế biến", "thương mại", "dịch vụ")}


def _ends_name(words: list[re.Match[str]], k: int) -> bool:
    """Whether the name may end before words[k]: the text ends, the word before carries
    punctuation, or words[k] opens a bracket, a capitalised or numbered name, a place or 'số'."""
    if k >= len(words) or words[k - 1].group(0)[-1:] in ",;:.)":
        return True
    after = words[k].group(0)
    return (after[:1] in "(" or after[:1].isupper() or after[:1].isdigit()
            or after.rstrip(",;:.)") in _PLACE_WORDS | {"số"})


def _trade_run(text: str, start: int, words: list[re.Match[str]], i: int, limit: int = 16) -> list[int]:
    """The lengths at which the words from words[i] end a run of two-word trade terms (_TRADE;
    'các' or 'và' may join two), on one line, no punctuation but after the last:
    'xây dựng hạ tầng cơ sở' gives [2, 4, 6]."""
    n, stops = 0, []
    while n + 1 < limit and i + n + 1 < len(words):
        first, second = words[i + n].group(0), words[i + n + 1].group(0)
        if stops and first in ("các", "và") and i + n + 2 < len(words) \
                and (second, words[i + n + 2].group(0).rstrip(",;:.)")) in _TRADE:
            n += 1  # 'xây dựng các công trình giao thông', 'dân dụng và công nghiệp'
            continue
        if (first, second.rstrip(",;:.)")) not in _TRADE or first.rstrip(",;:.)") != first \
                or "\n" in text[start + words[i + n].end() : start + words[i + n + 1].start()]:
            break
        n += 2
        stops.append(n)
        if second.rstrip(",;:.)") != second:
            break
    return stops


def agency_spans(text: str, registry: Registry) -> list[tuple[int, int, str]]:
    """Agencies in text, left to right: registry names (canonical) and, where the registry
    knows none, names built like agency names ('Sở …', 'Ủy ban nhân dân xã …', 'Công ty …')."""
    spans = [(m.start, m.end, m.name) for m in registry.find(text) if m.kind == "agency"]
    for m in _HEAD.finditer(text):
        start = m.start()
        if any(s <= start < e for s, e, _ in spans):
            continue
        end = _extent(text, m.end(), m.group(0).removeprefix("các ").removeprefix("Các ") in _TRADE_HEADS)
        name = _trim_agency(text[start:end])
        if len(name.split()) < 2 or name in _PRONOUN:
            continue
        spans.append((start, start + len(name), registry.resolve_agency(name) or name))
    # a name inside a longer one is part of it: 'Văn phòng Thành ủy' does not also name 'Thành ủy'
    spans = [x for x in spans if not any(s <= x[0] and x[1] <= e and (s, e) != x[:2] for s, e, _ in spans)]
    return sorted(spans + _elided(text, spans, registry))


_LOCAL = re.compile(r"(UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Hội đồng nhân dân)\s+(xã|phường|thị trấn|đặc khu"
                    r"|quận|huyện|thị xã)\s+\S")
_NEXT_UNIT = re.compile(r"(?:\s*,\s*|\s+và\s+)(xã|phường|thị trấn|đặc khu|quận|huyện|thị xã)\s+(?=\S)")
_LEVEL = {"xã": 1, "phường": 1, "thị trấn": 1, "đặc khu": 1, "quận": 2, "huyện": 2, "thị xã": 2}


def _elided(text: str, spans: list[tuple[int, int, str]], registry: Registry) -> list[tuple[int, int, str]]:
    """Local bodies named after one 'UBND': 'UBND phường Văn Phú và xã Yên Bình' also names
    'UBND xã Yên Bình'. Only units of the same level ('xã X, huyện Y' locates, it does not list)."""
    found: list[tuple[int, int, str]] = []
    for start, end, _ in spans:
        head = _LOCAL.match(text, start)
        if not head or head.start(2) >= end:
            continue
        while (m := _NEXT_UNIT.match(text, end)) and _LEVEL[m.group(1)] == _LEVEL[head.group(2)]:
            name_end = _capitalised_run(text, m.end())
            if name_end == m.end() or any(s < name_end and m.start(1) < e for s, e, _ in spans):
                break
            name = f"{head.group(1)} {m.group(1)} {text[m.end():name_end]}"
            found.append((m.start(1), name_end, registry.resolve_agency(name) or name))
            end = name_end
    return found


def _capitalised_run(text: str, start: int) -> int:
    """End of the capitalised words (or numbers) from `start`: a place name."""
    end = start
    for m in re.finditer(r"\S+", text[start:]):
        if "\n" in text[end : start + m.start()]:
            break
        bare = m.group(0).rstrip(",;:.)")
        if not bare or not (bare[:1].isupper() or bare[:1].isdigit()):
            break
        end = start + m.start() + len(bare)
        if bare != m.group(0):
            break
    return end


def _trim_agency(name: str) -> str:
    """Drop trailing words that start the rest of the sentence ('Sở Xây dựng và …')."""
    words = name.split()
    while words and words[-1] in ("và", "các", "-", "&", "cấp", "thành", "có"):
        words.pop()
    return " ".join(words)

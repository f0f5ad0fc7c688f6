"""Sentences of an article with their offsets (underthesea's sent_tokenize, line by line)."""
import re
from dataclasses import dataclass

from parindex.extract.uts import sent_tokenize

# underthesea ends a sentence after an abbreviation: "TX." | "Kỳ Anh xếp thứ 2."
_ABBREVIATION_END = re.compile(r"(?:^|\s)(?:TP|TX|Tp|Q|P|TT|ThS|TS|PGS|GS|Th|H|X)\.$"
                               r"|(?:^|[:;])\s*\d{1,2}\.$")   # "...: 1." opens a numbered item


_GLUED_STOP = re.compile(r"(?<=[a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]{2}\.)(?=[A-ZĐ][a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ])")


# "... đứng thứ 3/63 tỉnh, TP. Ngôi quán quân ...": "TP." closes "tỉnh, thành phố", a sentence
_GROUP_END = re.compile(r"(?:tỉnh|địa phương)\s*[,/]\s*TP\.$", re.IGNORECASE)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split(text: str) -> list[Sentence]:
    """Sentences of every line of text (a line is a paragraph), offsets into text."""
    out = []
    pos = 0
    for number, line in enumerate(text.split("\n")):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        pieces = sent_tokenize(line) if len(line) > 40 else [line]
        # "... toàn quốc.Xếp ở vị trí thứ hai là ...": a full stop with no space still ends one
        pieces = [p for piece in pieces for p in _GLUED_STOP.split(piece) if p.strip()]
        merged = []
        for piece in pieces:
            if merged and _ABBREVIATION_END.search(merged[-1]) and not _GROUP_END.search(merged[-1]):
                merged[-1] = merged[-1] + " " + piece
            else:
                merged.append(piece)
        cursor = 0
        for piece in merged:
            # sent_tokenize may change spaces: find the piece by its first and last words
            first = piece.split()[0] if piece.split() else piece
            at = line.find(first, cursor)
            if at < 0:
                continue
            last = piece.split()[-1]
            end = line.find(last, at + max(0, len(piece) - len(last) - 5))
            end = (end + len(last)) if end >= 0 else min(len(line), at + len(piece))
            out += _bounded(Sentence(line_start + at, line_start + end, line[at:end], number))
            cursor = end
    return out


# No sentence a person writes is longer; past it, a "sentence" is a list or junk, read in pieces
# cut at "; " (else ", ", else a space) so that the rules stay linear in the page's length.
MAX_SENTENCE = 3000


def _bounded(sent: Sentence) -> list[Sentence]:
    if len(sent.text) <= MAX_SENTENCE:
        return [sent]
    out, text, offset = [], sent.text, 0
    while len(text) - offset > MAX_SENTENCE:
        window = text[offset:offset + MAX_SENTENCE]
        cut = next((window.rfind(sep) + len(sep) for sep in ("; ", ", ", " ") if window.rfind(sep) > MAX_SENTENCE // 3),
                   MAX_SENTENCE)
        out.append(Sentence(sent.start + offset, sent.start + offset + cut, text[offset:offset + cut], sent.paragraph))
        offset += cut
    out.append(Sentence(sent.start + offset, sent.end, text[offset:], sent.paragraph))
    return out

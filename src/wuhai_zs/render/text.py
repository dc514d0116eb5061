"""Terminal text in Chinese: display widths and line breaks that never split a number."""

from __future__ import annotations

import re
import unicodedata

# Runs of spaces, runs of printable ASCII (a word, a number, an option), or one other character.
_TOKEN = re.compile(r"\s+|[!-~]+|.")
# Never at the start of a line: they stay with what comes before.
_NO_LINE_START = frozenset("，。、；：？！）》」』”’…%·)]")
# Never at the end of a line: they stay with what comes after.
_NO_LINE_END = frozenset("（《「『“‘([")


def cell_width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# In phrase mode a line breaks only at spaces, after these, or before an opening bracket.
_BREAK_AFTER = frozenset("、，。；：！？）》」』”/")
_BREAK_BEFORE = frozenset("（《「『“")


def _units(line: str, offset: int, phrases: bool) -> list[tuple[int, int]]:
    """(start, end) of the pieces a line may break between."""
    units: list[tuple[int, int]] = []
    glue_next = False
    pos = 0
    for token in _TOKEN.findall(line):
        start, end = offset + pos, offset + pos + len(token)
        before = line[units[-1][0] - offset : pos] if units else ""
        pos += len(token)
        glue = bool(before) and not before.isspace() and not token.isspace()
        if glue and phrases:
            glue = before[-1] not in _BREAK_AFTER and token[0] not in _BREAK_BEFORE
            glue = glue or token[0] in _NO_LINE_START or glue_next
        elif glue:
            glue = glue_next or token[0] in _NO_LINE_START
        if glue:
            units[-1] = (units[-1][0], end)
        else:
            units.append((start, end))
        glue_next = not token.isspace() and token[-1] in _NO_LINE_END
    return units


def breaks(text: str, width: int, phrases: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` wrapped to `width` columns: broken at spaces or
    between CJK characters (with `phrases`, only at spaces and punctuation), never inside a word
    or a number, unless one piece alone is wider than a line; spaces at a break are dropped; a
    newline always breaks."""
    width = max(1, width)
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = end = offset
        used = 0
        units = _units(line, offset, phrases)
        if phrases:  # a phrase wider than the line breaks between its characters instead
            units = [
                sub
                for a, b in units
                for sub in (
                    _units(text[a:b], a, False) if cell_width(text[a:b]) > width else [(a, b)]
                )
            ]
        for a, b in units:
            piece = text[a:b]
            size = cell_width(piece)
            if piece.isspace():
                if used and used + size <= width:
                    end, used = b, used + size
                elif used:
                    spans.append((start, _trim(text, start, end)))
                    start = end = b
                    used = 0
                else:
                    start = end = b
                continue
            if used and used + size > width:
                spans.append((start, _trim(text, start, end)))
                start = a
                used = 0
            while size > width:  # one word wider than the line: split it where it must
                cut = a
                while cut < b and cell_width(text[a : cut + 1]) <= width:
                    cut += 1
                spans.append((a, cut))
                a, start = cut, cut
                size = cell_width(text[a:b])
            end, used = b, used + size
        spans.append((start, _trim(text, start, end)))
        offset += len(line) + 1
    return spans


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def wrap(text: str, width: int, phrases: bool = False) -> list[str]:
    return [text[a:b] for a, b in breaks(text, width, phrases)]

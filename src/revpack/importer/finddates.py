"""Dates in a node's text: takes "November 1932 - Franco-Soviet pact signed", gives `Nov 1932`.

Mind-map nodes carry dates in every shape ("1919-20 ...", "December 1933- ...", "..., August
1939", "Munich 29 September 1938, ..."). `find_dates` finds each one, writes it the way a pack
writes dates ("Nov 1932", "1920–25", "29 Sep 1938") and has revpack's own date parser
(`revpack.dates`) check it, so every date the importer writes is one `revpack check` reads.
A day and month with no year ("3 September ...") is found too, for the importer to date from
its neighbours and flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import DateError, HistDate, parse_date

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_CIRCA = r"(?:(?P<circa>c\.|ca\.|circa)\s*)?"
_SEP = r"\s*(?:-{1,2}|\u2013|\u2014|\bto\b)\s*"
_B = r"(?<![\w£$€.,/])"          # not inside a number, a word or an amount
_E = r"(?![\w/]|[.,]\d)"

_POINT = (rf"(?:(?P<{{p}}d1>{_DAY})\s+(?P<{{p}}m1>{_MONTH}),?\s+(?P<{{p}}y1>{_YEAR})"
          rf"|(?P<{{p}}m2>{_MONTH})\s+(?P<{{p}}d2>{_DAY}),?\s+(?P<{{p}}y2>{_YEAR})"
          rf"|(?P<{{p}}m3>{_MONTH}),?\s+(?P<{{p}}y3>{_YEAR})"
          rf"|(?P<{{p}}y4>{_YEAR}))")

_DATE_RE = re.compile(
    rf"{_B}{_CIRCA}(?:"
    # 2-6 March 1919: days of one month
    rf"(?P<rd1>{_DAY}){_SEP}(?P<rd2>{_DAY})\s+(?P<rm>{_MONTH}),?\s+(?P<ry>{_YEAR})"
    # 1919-20: a short year range
    rf"|(?P<sy>{_YEAR})\s*(?:-|\u2013|/)\s*(?P<sy2>[0-9]{{2}})(?![0-9])"
    # May - June 1939: months of one year
    rf"|(?P<mm1>{_MONTH}){_SEP}(?P<mm2>{_MONTH}),?\s+(?P<my>{_YEAR})"
    # a point, perhaps a range to another point
    rf"|{_POINT.replace('{p}', 'a')}(?:{_SEP}{_POINT.replace('{p}', 'b')})?"
    rf"){_E}", re.IGNORECASE)

#: A day and month with no year after it: "3 September", "September 3".
_NO_YEAR_RE = re.compile(
    rf"{_B}(?:(?P<d1>{_DAY})\s+(?P<m1>{_MONTH})|(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}))"
    rf"(?!\w|,?\s+{_YEAR}|\s*[-\u2013])", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    text: str           # as a pack writes it: "Nov 1932", "1920–25"
    date: HistDate
    start: int          # where it stands in the node's text
    end: int


@dataclass(frozen=True)
class NoYear:
    day: int
    month: int          # 1-12
    start: int
    end: int

    def with_year(self, year: int) -> Found | None:
        return _checked(f"{self.day} {_MONTHS[self.month - 1].title()} {year}", False,
                        self.start, self.end)


def _month(word: str | None) -> str | None:
    return word[:3].title() if word else None


def _day(word: str | None) -> str | None:
    return str(int(re.match(r"\d+", word).group())) if word else None


def _point(m: re.Match, p: str) -> str | None:
    g = m.groupdict()
    for i in (1, 2, 3, 4):
        year = g.get(f"{p}y{i}")
        if year:
            return " ".join(x for x in (_day(g.get(f"{p}d{i}")), _month(g.get(f"{p}m{i}")),
                                         year) if x)
    return None


def _checked(text: str, circa: bool, start: int, end: int) -> Found | None:
    """The date as a pack writes it, if revpack's parser reads it."""
    try:
        date = parse_date(("c. " if circa else "") + text)
    except DateError:
        return None
    return Found(date.format().replace("\u00a0", " "), date, start, end)


def find_dates(text: str) -> list[Found]:
    """Every date in `text`, in order, each as a pack writes it (checked by revpack's parser)."""
    found = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        if g["rd1"]:
            value = f"{_day(g['rd1'])}–{_day(g['rd2'])} {_month(g['rm'])} {g['ry']}"
        elif g["sy"]:
            value = f"{g['sy']}–{g['sy2']}"
        elif g["mm1"]:
            value = f"{_month(g['mm1'])}–{_month(g['mm2'])} {g['my']}"
        else:
            a, b = _point(m, "a"), _point(m, "b")
            value = f"{a} – {b}" if b else a
        date = _checked(value, bool(g["circa"]), m.start(), m.end())
        if date is None and g.get("by4") is not None:
            # "1929 - 1000 troops": the second number is not the end of a range.
            date = _checked(_point(m, "a"), bool(g["circa"]), m.start(), m.start("by4"))
        if date is not None:
            found.append(date)
    return found


def find_yearless(text: str) -> list[NoYear]:
    """Days and months with no year ("3 September"), outside any full date."""
    taken = [(f.start, f.end) for f in find_dates(text)]
    out = []
    for m in _NO_YEAR_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        day = int(re.match(r"\d+", m.group("d1") or m.group("d2")).group())
        month = _MONTHS.index((m.group("m1") or m.group("m2"))[:3].lower()) + 1
        out.append(NoYear(day, month, m.start(), m.end()))
    return out


_LEAD_SEP = re.compile(r"^[\s,;:.\u2013\u2014-]*")
_TAIL_SEP = re.compile(r"[\s,;:\u2013\u2014(-]*$")
#: "Revolutions of 1848": the date is part of the words, which are kept whole.
_JOINED = re.compile(r"\b(?:of|in|on|from|since|until|till|by|after|before|during|to|and|or|"
                     r"the|c\.|ca\.)\s*$", re.IGNORECASE)


def without(text: str, start: int, end: int) -> str | None:
    """The text with a date at its very start or end taken off, with the dash or comma that
    joined it ("November 1932 - Pact signed" → "Pact signed"); None when the date stands in the
    middle (the text is then kept whole)."""
    head, tail = text[:start], text[end:]
    if not head.strip(" \t-*•_"):
        # "**24 Oct 1929** Black Thursday": the date's bold goes with it.
        marks = head.strip(" \t-•")
        if marks and tail.lstrip().startswith(marks):
            tail = tail.lstrip()[len(marks):]
        return _LEAD_SEP.sub("", tail, count=1).strip()
    if not tail.strip(" \t.,;:)*_"):
        marks = tail.strip(" \t.,;:)")
        head = head.rstrip()
        if marks and head.endswith(marks):
            head = head[:-len(marks)]
        if _JOINED.search(head):
            return None
        return _TAIL_SEP.sub("", head, count=1).strip()
    return None

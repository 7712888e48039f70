"""Historical dates: takes text such as "16 Apr 1922", "1924–25" or "c. 1933", gives a `HistDate`.

A date knows its precision (day, month or year), may be approximate ("c.") and may be a range.
Dates sort chronologically by their start, then their end, and print in one consistent style with
non-breaking spaces ("16 Apr 1922") and an en dash in ranges ("10 Apr – 19 May 1922", "1924–25").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from .diagnostics import show

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: The printed month of each language a pack may be written in (its short form, as dictionaries
#: and style guides abbreviate it; a month of four or five letters is printed whole).
MONTHS_BY_LANGUAGE = {
    "en": MONTHS,
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."),
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.",
           "Nov.", "Dez."),
    "es": ("ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.",
           "nov.", "dic."),
}
# Full names and common spellings, in every language above, are accepted on input whatever the
# pack's language (no month name means different months in two of them); a date prints in the
# pack's language.
_MONTH_SPELLINGS = (
    "january jan", "february feb", "march mar", "april apr", "may", "june jun",
    "july jul", "august aug", "september sep sept", "october oct", "november nov",
    "december dec",
    # French
    "janvier janv", "février fevrier févr fevr", "mars", "avril avr", "mai", "juin",
    "juillet juil", "août aout", "septembre sept", "octobre oct", "novembre nov",
    "décembre decembre déc dec",
    # German
    "januar jänner jän", "februar feb", "märz maerz mrz", "april", "mai", "juni", "juli",
    "august", "september", "oktober okt", "november", "dezember dez",
    # Spanish
    "enero ene", "febrero", "marzo", "abril abr", "mayo", "junio", "julio", "agosto ago",
    "septiembre setiembre set", "octubre", "noviembre", "diciembre dic",
)
_MONTH_NUMBER = {m.lower(): i for i, m in enumerate(MONTHS, start=1)}
for _i, _names in enumerate(_MONTH_SPELLINGS):
    _MONTH_NUMBER.update({name: _i % 12 + 1 for name in _names.split()})
#: Words a date may hold that carry no meaning: "3 de marzo de 1918", "le 11 février 1945".
_FILLER = {"de", "del", "le", "den", "am"}
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

NBSP = "\u00a0"
EN_DASH = "\u2013"

DAY, MONTH, YEAR = "day", "month", "year"
HINT = "dates look like 16 Apr 1922, Apr 1922, 1922, c. 1922 or 1924–25"


class DateError(ValueError):
    """The text is not a date revpack understands; the message says why, `hint` how to fix it."""

    def __init__(self, message: str, hint: str = HINT):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Point:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return DAY if self.day else MONTH if self.month else YEAR

    def first_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)

    def last_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 12, self.day or 31)

    def format(self, with_year: bool = True, with_month: bool = True, lang: str = "en") -> str:
        parts = []
        if self.day:
            parts.append(day_text(self.day, lang))
        if self.month and with_month:
            parts.append(month_text(self.month, lang))
        if with_year:
            parts.append(str(self.year))
        return NBSP.join(parts)


def _lang(language: str) -> str:
    lang = (language or "en").split("-")[0].lower()
    return lang if lang in MONTHS_BY_LANGUAGE else "en"


def month_text(month: int, language: str = "en") -> str:
    return MONTHS_BY_LANGUAGE[_lang(language)][month - 1]


def day_text(day: int, language: str = "en") -> str:
    """The day as printed: "3", but "3." in German and "1er" for the first in French."""
    lang = _lang(language)
    if lang == "de":
        return f"{day}."
    if lang == "fr" and day == 1:
        return "1er"
    return str(day)


@total_ordering
@dataclass(frozen=True)
class HistDate:
    start: Point
    end: Point | None = None
    circa: bool = False
    source: str = ""

    @property
    def precision(self) -> str:
        return self.start.precision

    @property
    def is_range(self) -> bool:
        return self.end is not None

    @property
    def year(self) -> int:
        return self.start.year

    def sort_key(self) -> tuple:
        end = self.end or self.start
        return (self.start.first_key(), end.last_key())

    def __lt__(self, other: "HistDate") -> bool:
        return self.sort_key() < other.sort_key()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HistDate) and self.sort_key() == other.sort_key() \
            and self.circa == other.circa

    def __hash__(self) -> int:
        return hash((self.sort_key(), self.circa))

    def __str__(self) -> str:
        return self.format()

    def format(self, language: str = "en") -> str:
        """The date as printed in `language` (a pack's language tag): "16 Apr 1922",
        "16 avr. 1922", "16. Apr. 1922"."""
        lang = _lang(language)
        prefix = f"c.{NBSP}" if self.circa else ""
        s, e = self.start, self.end
        if e is None:
            return prefix + s.format(lang=lang)
        if s.precision == YEAR and e.precision == YEAR:
            # 1924–25, but 1899–1901 in full when the century changes.
            if s.year // 100 == e.year // 100 and e.year - s.year < 100:
                return f"{prefix}{s.year}{EN_DASH}{e.year % 100:02d}"
            return f"{prefix}{s.year}{EN_DASH}{e.year}"
        same_year = s.year == e.year
        if same_year and s.precision == MONTH and e.precision == MONTH:
            return f"{prefix}{month_text(s.month, lang)}{EN_DASH}{e.format(lang=lang)}"
        if same_year and s.month == e.month and s.precision == DAY and e.precision == DAY:
            return f"{prefix}{day_text(s.day, lang)}{EN_DASH}{e.format(lang=lang)}"
        left = s.format(with_year=not same_year, lang=lang)
        return f"{prefix}{left} {EN_DASH} {e.format(lang=lang)}"

    def iso(self) -> str:
        """A machine-readable start date for <time datetime>."""
        s = self.start
        text = f"{s.year:04d}"
        if s.month:
            text += f"-{s.month:02d}"
            if s.day:
                text += f"-{s.day:02d}"
        return text


_DASHES = re.compile(r"\s*(?:\u2013|\u2014|-|\bto\b)\s*")


def _parse_point(text: str) -> tuple[int | None, int | None, int | None]:
    """Parse 'D Mon YYYY', 'Mon YYYY', 'YYYY', 'D Mon', 'D' or 'Mon' (missing parts are None)."""
    shown = show(text, 40)
    tokens = [t for t in text.replace(",", " ").split() if t.lower() not in _FILLER]
    if not tokens or len(tokens) > 3:
        raise DateError(f"'{shown}' is not a date")
    day = month = year = None
    for tok in tokens:
        low = tok.lower().rstrip(".")
        if low in ("1er", "1º", "1°", "1o"):        # French "1er mai", Spanish "1º de mayo"
            tok = low = "1"
        if low.isascii() and low.isdigit():
            tok = low
            if len(tok) in (3, 4):
                if year is not None:
                    raise DateError(f"'{shown}' has two years")
                year = int(tok)
            elif len(tok) <= 2 and month is None and year is None and day is None:
                day = int(tok)
            elif len(tok) <= 2 and month is not None and day is None and year is None:
                k = tokens.index(tok)
                fixed = " ".join([tok, tokens[k - 1]] + tokens[k + 1:])
                raise DateError(f"'{shown}' has the day after the month",
                                f"write the day first, as {show(fixed, 40)}")
            elif len(tok) <= 2 and year is None:
                raise DateError(f"'{tok}' in '{shown}' is not a day or a year",
                                "write years with four digits, as 1917")
            else:
                raise DateError(f"'{show(tok, 20)}' in '{shown}' is not a day or a year")
        elif low in _MONTH_NUMBER:
            if month is not None:
                raise DateError(f"'{shown}' has two months")
            month = _MONTH_NUMBER[low]
        else:
            raise DateError(f"'{show(tok, 20)}' in '{shown}' is not a day, month or year")
    if day is not None and month is None:
        if len(tokens) == 1:
            return day, None, None
        raise DateError(f"'{shown}' has a day but no month")
    return day, month, year


def _make_point(day, month, year, text: str) -> Point:
    if year is None:
        raise DateError(f"'{show(text, 40)}' has no year")
    if not 1 <= year <= 9999:
        raise DateError(f"year {year} in '{show(text, 40)}' is out of range")
    if day is not None:
        if not 1 <= day <= _DAYS_IN_MONTH[month - 1] or (
                month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0))):
            raise DateError(f"{MONTHS[month - 1]} {year} has no day {day}")
    return Point(year, month, day)


def parse_date(text: str) -> HistDate:
    """Parse a date or range. Raises DateError with a reason the author can act on."""
    raw = text
    text = " ".join(text.replace(NBSP, " ").split())
    circa = False
    m = re.match(r"^(?:c\.|ca\.|circa)\s*", text, flags=re.IGNORECASE)
    if m:
        circa = True
        text = text[m.end():]
    if not text:
        raise DateError("the date is empty")
    parts = _DASHES.split(text)
    if len(parts) > 2:
        raise DateError(f"'{show(raw, 40)}' has more than one dash")
    if len(parts) == 1:
        day, month, year = _parse_point(parts[0])
        return HistDate(_make_point(day, month, year, raw), None, circa, raw)
    sday, smonth, syear = _parse_point(parts[0])
    eday, emonth, eyear = _parse_point(parts[1])
    if (syear is not None and smonth is None and sday is None
            and eyear is None and emonth is None and eday is not None):
        # "1924–25": a two-digit end year shares the start's century.
        eyear, eday = syear - syear % 100 + eday, None
        if eyear <= syear:
            raise DateError(f"'{show(raw, 40)}' ends before it starts",
                            "write a range across a century in full, as 1899–1901")
    if eyear is None:
        raise DateError(f"the end of '{show(raw, 40)}' has no year")
    if syear is None:
        syear = eyear
        if smonth is None and sday is not None:
            smonth = emonth  # "10–12 Sep 1934"
            if smonth is None:
                raise DateError(f"'{show(raw, 40)}' has a day but no month")
    if (sday is not None and eday is None) or (smonth is not None and emonth is None):
        raise DateError(f"the end of '{show(raw, 40)}' is less precise than its start")
    start = _make_point(sday, smonth, syear, raw)
    end = _make_point(eday, emonth, eyear, raw)
    if end.last_key() < start.first_key():
        raise DateError(f"'{show(raw, 40)}' ends before it starts")
    if start == end:
        raise DateError(f"'{show(raw, 40)}' starts and ends on the same date")
    return HistDate(start, end, circa, raw)

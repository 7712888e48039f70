"""Date forms: takes the text of a date, gives the parts of the forms that are not a day, a month
or a year: decades ("1940s", "late 1940s"), seasons ("Spring 1947"), years that straddle two
("1945/46"), eras ("753 BCE", "AD 476", "44 av. J.-C."), and the messages for numeric dates
("1949-10-01"). `dates.parse_date` asks this module first; each form has a defined span, and so a
place and an order on the timeline (docs/authoring.md, "More date forms"):

| form | spans | prints (en) |
|---|---|---|
| 1940s | 1940–1949 | 1940s |
| early 1940s | 1940–1943 | early 1940s |
| mid-1940s | 1944–1946 | mid-1940s |
| late 1940s | 1947–1949 | late 1940s |
| Spring 1947 | Mar–May 1947 | Spring 1947 |
| Summer 1947 | Jun–Aug 1947 | Summer 1947 |
| Autumn (Fall) 1947 | Sep–Nov 1947 | Autumn 1947 |
| Winter 1947 | Dec 1946 – Feb 1947 | Winter 1947 |
| 1945/46 | Sep 1945 – Aug 1946 (a school year) | 1945/46 |

Each prints in the pack's language ("années 1940", "Frühjahr 1947") and is read in any of them.
"""

from __future__ import annotations

import re

#: Decades: whole, early (years 0–3), mid (4–6), late (7–9). {d} is the decade's first year.
DECADE_SPANS = {"": (0, 9), "early": (0, 3), "mid": (4, 6), "late": (7, 9)}
DECADES = {
    "en": {"": "{d}s", "early": "early {d}s", "mid": "mid-{d}s", "late": "late {d}s"},
    "fr": {"": "années {d}", "early": "début des années {d}", "mid": "milieu des années {d}",
           "late": "fin des années {d}"},
    "de": {"": "{d}er Jahre", "early": "Anfang der {d}er Jahre", "mid": "Mitte der {d}er Jahre",
           "late": "Ende der {d}er Jahre"},
    "es": {"": "años {d}", "early": "principios de los años {d}",
           "mid": "mediados de los años {d}", "late": "finales de los años {d}"},
}
#: Seasons (northern hemisphere): their first and last month; winter starts the December before.
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}
SEASONS = {
    "en": {"spring": "Spring {y}", "summer": "Summer {y}", "autumn": "Autumn {y}",
           "winter": "Winter {y}"},
    "fr": {"spring": "printemps {y}", "summer": "été {y}", "autumn": "automne {y}",
           "winter": "hiver {y}"},
    "de": {"spring": "Frühjahr {y}", "summer": "Sommer {y}", "autumn": "Herbst {y}",
           "winter": "Winter {y}"},
    "es": {"spring": "primavera de {y}", "summer": "verano de {y}", "autumn": "otoño de {y}",
           "winter": "invierno de {y}"},
}
_SEASON_WORDS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
                 "winter": "winter", "printemps": "spring", "été": "summer", "ete": "summer",
                 "automne": "autumn", "hiver": "winter", "frühjahr": "spring",
                 "frühling": "spring", "sommer": "summer", "herbst": "autumn",
                 "primavera": "spring", "verano": "summer", "otoño": "autumn",
                 "invierno": "winter"}
#: A year that straddles two, as a school or financial year: from September to August.
SPLIT_MONTHS = (9, 8)

#: Eras, as written in each language; "BCE"/"CE" and "BC"/"AD" keep the author's style in English.
ERAS = {
    "en": {"BCE": "{y}\u00a0BCE", "CE": "{y}\u00a0CE", "BC": "{y}\u00a0BC", "AD": "AD\u00a0{y}"},
    "fr": {"BCE": "{y}\u00a0av.\u00a0J.-C.", "CE": "{y}\u00a0apr.\u00a0J.-C."},
    "de": {"BCE": "{y}\u00a0v.\u00a0Chr.", "CE": "{y}\u00a0n.\u00a0Chr."},
    "es": {"BCE": "{y}\u00a0a.\u00a0C.", "CE": "{y}\u00a0d.\u00a0C."},
}
#: Every way of writing an era revpack reads, longest first, to its canonical token.
_ERA_WORDS = [
    (r"B\.?\s?C\.?\s?E\.?", "BCE"), (r"B\.?\s?C\.?", "BC"), (r"C\.?\s?E\.?", "CE"),
    (r"A\.?\s?D\.?", "AD"),
    (r"av(?:\.|ant)\s?J\.?\s?-?\s?C\.?", "BCE"), (r"apr(?:\.|ès)\s?J\.?\s?-?\s?C\.?", "CE"),
    (r"v\.\s?Chr\.?", "BCE"), (r"n\.\s?Chr\.?", "CE"),
    (r"a\.\s?(?:de\s)?C\.?", "BCE"), (r"d\.\s?(?:de\s)?C\.?", "CE"),
]
_ERA_RE = re.compile(r"(?<![\w.])(?:%s)(?![\w])" % "|".join(f"(?:{p})" for p, _ in _ERA_WORDS),
                     re.IGNORECASE)


class FormError(ValueError):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def canonical_eras(text: str) -> str:
    """The text with every era written as one token: BCE, BC, CE or AD."""
    def token(m: re.Match) -> str:
        for pattern, name in _ERA_WORDS:
            if re.fullmatch(pattern, m.group(), re.IGNORECASE):
                return name
        return m.group()
    return _ERA_RE.sub(token, text)


def _decade_patterns():
    for lang, forms in DECADES.items():
        for part, form in forms.items():
            pattern = re.escape(form).replace(r"\{d\}", r"(?P<d>\d{2,3}0)")
            pattern = pattern.replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]*")
            if lang == "en":
                pattern = pattern.replace("s$", "") + r"['’]?s"
                pattern = pattern.replace(r"(?P<d>\d{2,3}0)s['’]?s", r"(?P<d>\d{2,3}0)['’]?s")
            yield re.compile(pattern + r"$", re.IGNORECASE), part


_DECADE_RES = list(_decade_patterns())
_SEASON_RE = re.compile(r"(?P<s>[^\W\d_]+)\s+(?:de\s+|del\s+)?(?P<y>\d{3,4})$")
_SPLIT_RE = re.compile(r"(?P<a>\d{4})\s?/\s?(?P<b>\d{2}|\d{4})$")
_ISO_RE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?$")
_SLASHED_RE = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})$")


def decade(text: str):
    """(first year, last year, part) of a decade such as "late 1940s", or None."""
    for pattern, part in _DECADE_RES:
        m = pattern.match(text)
        if m:
            first = int(m["d"])
            low, high = DECADE_SPANS[part]
            return first + low, first + high, part
    if re.search(r"\d0['’]?s\b", text):
        raise FormError(f"'{text}' is not a decade revpack reads",
                        "decades look like 1940s, early 1940s, mid-1950s or late 1940s")
    return None


def season(text: str):
    """(name, year) of a season such as "Spring 1947", or None."""
    m = _SEASON_RE.match(text)
    if m and m["s"].lower() in _SEASON_WORDS:
        return _SEASON_WORDS[m["s"].lower()], int(m["y"])
    return None


def split_year(text: str):
    """The first year of a year that straddles two ("1945/46"), or None."""
    m = _SPLIT_RE.match(text)
    if not m:
        return None
    first, second = int(m["a"]), m["b"]
    last = int(second) if len(second) == 4 else first - first % 100 + int(second)
    if last != first + 1:
        raise FormError(f"'{text}' is not two years that follow each other",
                        "a school or financial year is written 1945/46; a range 1945–47")
    return first


def numeric_hint(text: str, months: tuple) -> None:
    """A numeric date ("1949-10-01", "01/10/1949") is refused with the date it should be."""
    m = _ISO_RE.match(text)
    if m and 1 <= int(m["m"]) <= 12:
        month = months[int(m["m"]) - 1]
        fixed = f"{int(m['d'])} {month} {m['y']}" if m["d"] else f"{month} {m['y']}"
        raise FormError(f"'{text}' is a date in numbers", f"write it as {fixed}")
    m = _SLASHED_RE.match(text)
    if m and 1 <= int(m["b"]) <= 12:
        fixed = f"{int(m['a'])} {months[int(m['b']) - 1]} {m['y']}"
        other = (f" (or {int(m['b'])} {months[int(m['a']) - 1]} {m['y']} if the month comes "
                 "first)") if 1 <= int(m["a"]) <= 12 and m["a"] != m["b"] else ""
        raise FormError(f"'{text}' is a date in numbers", f"write it as {fixed}{other}")


def form_text(kind: str, part: str, year: int, lang: str) -> str:
    """A decade, season or split year as printed in `lang`."""
    if kind == "decade":
        return DECADES.get(lang, DECADES["en"])[part].format(d=year)
    if kind == "season":
        return SEASONS.get(lang, SEASONS["en"])[part].format(y=year).replace(" ", "\u00a0")
    if (year + 1) // 100 != year // 100:          # 1999/2000 in full, as 1899–1901
        return f"{year}/{year + 1}"
    return f"{year}/{(year + 1) % 100:02d}"


def era_text(year: int, era: str, lang: str) -> str:
    """A year with its era: "753 BCE", "AD 476", "44 av. J.-C."."""
    eras = ERAS.get(lang, ERAS["en"])
    if era not in eras:                       # BC/AD style outside English: BCE/CE words
        era = {"BC": "BCE", "AD": "CE"}.get(era, era)
    return eras[era].format(y=year)

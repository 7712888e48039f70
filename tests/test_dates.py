from pathlib import Path

import pytest

from revpack.dates import DAY, MONTH, YEAR, DateError, parse_date

NB = "\u00a0"


@pytest.mark.parametrize("text, printed, precision", [
    ("16 Apr 1922", f"16{NB}Apr{NB}1922", DAY),
    ("16 April 1922", f"16{NB}Apr{NB}1922", DAY),
    ("Nov 1917", f"Nov{NB}1917", MONTH),
    ("1917", "1917", YEAR),
    ("c. 1933", f"c.{NB}1933", YEAR),
    ("1924–25", "1924–25", YEAR),
    ("1924-25", "1924–25", YEAR),
    ("1899–1901", "1899–1901", YEAR),
    ("Sep–Oct 1936", f"Sep–Oct{NB}1936", MONTH),
    ("10–12 Sep 1934", f"10–12{NB}Sep{NB}1934", DAY),
    ("10 Apr – 19 May 1922", f"10{NB}Apr – 19{NB}May{NB}1922", DAY),
    ("Dec 1938 – Jan 1939", f"Dec{NB}1938 – Jan{NB}1939", MONTH),
])
def test_dates_parse_and_print_consistently(text, printed, precision):
    d = parse_date(text)
    assert d.format() == printed
    assert d.precision == precision
    # Printing is stable: a printed date parses back to the same date.
    assert parse_date(d.format()) == d


def test_dates_sort_chronologically_across_precisions():
    texts = ["1939", "23 Aug 1939", "c. 1921", "Apr 1922", "16 Apr 1922", "1921–23",
             "17 Sep 1939", "1918", "Sep–Oct 1936"]
    ordered = [d.source for d in sorted(parse_date(t) for t in texts)]
    assert ordered == ["1918", "c. 1921", "1921–23", "Apr 1922", "16 Apr 1922",
                       "Sep–Oct 1936", "1939", "23 Aug 1939", "17 Sep 1939"]


def test_a_range_sorts_after_a_date_on_its_first_day():
    assert parse_date("10 Apr 1922") < parse_date("10 Apr – 19 May 1922")
    assert parse_date("Apr 1922") < parse_date("16 Apr 1922")


@pytest.mark.parametrize("text, reason", [
    ("31 Feb 1922", "no day 31"),
    ("29 Feb 1923", "no day 29"),
    ("1925–24", "ends before it starts"),
    ("12 Sep – 10 Sep 1934", "ends before it starts"),
    ("16 Aprl 1922", "'Aprl'"),
    ("16 Apr", "no year"),
    ("", "empty"),
    ("1922–1922", "same date"),
    ("1 – 2 – 3 1922", "more than one dash"),
])
def test_bad_dates_say_why(text, reason):
    with pytest.raises(DateError) as exc:
        parse_date(text)
    assert reason in str(exc.value)


def test_leap_day_and_iso():
    assert parse_date("29 Feb 1936").iso() == "1936-02-29"
    assert parse_date("Nov 1917").iso() == "1917-11"


# --- more date forms (issue 16, part 4) ----------------------------------------------------------

@pytest.mark.parametrize("text, printed, first, last", [
    ("1940s", "1940s", (1940, 1, 1), (1949, 12, 31)),
    ("early 1940s", "early 1940s", (1940, 1, 1), (1943, 12, 31)),
    ("mid-1950s", "mid-1950s", (1954, 1, 1), (1956, 12, 31)),
    ("late 1940s", "late 1940s", (1947, 1, 1), (1949, 12, 31)),
    ("1940's", "1940s", (1940, 1, 1), (1949, 12, 31)),
    ("Spring 1947", f"Spring{NB}1947", (1947, 3, 1), (1947, 5, 31)),
    ("Fall 1947", f"Autumn{NB}1947", (1947, 9, 1), (1947, 11, 31)),
    ("Winter 1947", f"Winter{NB}1947", (1946, 12, 1), (1947, 2, 31)),
    ("1945/46", "1945/46", (1945, 9, 1), (1946, 8, 31)),
    ("1999/2000", "1999/2000", (1999, 9, 1), (2000, 8, 31)),
    ("753 BCE", f"753{NB}BCE", (-753, 1, 1), (-753, 12, 31)),
    ("44 B.C.", f"44{NB}BC", (-44, 1, 1), (-44, 12, 31)),
    ("15 Mar 44 BC", f"15{NB}Mar{NB}44{NB}BC", (-44, 3, 15), (-44, 3, 15)),
    ("AD 476", f"AD{NB}476", (476, 1, 1), (476, 12, 31)),
    ("490–479 BCE", f"490–479{NB}BCE", (-490, 1, 1), (-479, 12, 31)),
    ("27 BC – AD 14", f"27{NB}BC – AD{NB}14", (-27, 1, 1), (14, 12, 31)),
    ("c. 1920 – c. 1925", f"c.{NB}1920 – c.{NB}1925", (1920, 1, 1), (1925, 12, 31)),
    ("1920 – c. 1925", f"1920 – c.{NB}1925", (1920, 1, 1), (1925, 12, 31)),
])
def test_more_date_forms_have_a_span_and_print_as_written(text, printed, first, last):
    d = parse_date(text)
    assert d.format() == printed
    assert d.sort_key() == (first, last)
    assert parse_date(d.format()) == d


@pytest.mark.parametrize("text, lang, printed", [
    ("late 1940s", "fr", "fin des années 1940"),
    ("mid-1950s", "de", "Mitte der 1950er Jahre"),
    ("Spring 1947", "es", f"primavera{NB}de{NB}1947"),
    ("753 BCE – 476 CE", "fr", f"753{NB}av.{NB}J.-C. – 476{NB}apr.{NB}J.-C."),
    ("44 BC", "de", f"44{NB}v.{NB}Chr."),
])
def test_the_forms_print_in_the_pack_language_and_read_back(text, lang, printed):
    d = parse_date(text)
    assert d.format(lang) == printed
    assert parse_date(printed) == d


def test_a_timeline_from_753_bce_to_476_ce_sorts_correctly():
    texts = ["476 CE", "27 BC – AD 14", "753 BCE", "44 BC", "15 Mar 44 BC", "509 BCE",
             "AD 79", "264–146 BCE", "c. 30 CE", "AD 117"]
    ordered = [d.source for d in sorted(parse_date(t) for t in texts)]
    assert ordered == ["753 BCE", "509 BCE", "264–146 BCE", "44 BC", "15 Mar 44 BC",
                       "27 BC – AD 14", "c. 30 CE", "AD 79", "AD 117", "476 CE"]


def test_a_decade_a_season_and_a_school_year_sort_after_dates_at_their_start():
    texts = ["1946", "1945/46", "Spring 1947", "Mar 1947", "late 1940s", "1940s", "1 Sep 1945",
             "mid-1950s", "Winter 1947", "1947"]
    ordered = [d.source for d in sorted(parse_date(t) for t in texts)]
    # By start, then end: late 1940s (1947–49) after 1947, before Mar 1947.
    assert ordered == ["1940s", "1 Sep 1945", "1945/46", "1946", "Winter 1947", "1947",
                       "late 1940s", "Mar 1947", "Spring 1947", "mid-1950s"]


@pytest.mark.parametrize("text, message, hint", [
    ("mid-1950s", None, None),
    ("1949-10-01", "'1949-10-01' is a date in numbers", "write it as 1 Oct 1949"),
    ("1949-10", "'1949-10' is a date in numbers", "write it as Oct 1949"),
    ("01/10/1949", "'01/10/1949' is a date in numbers",
     "write it as 1 Oct 1949 (or 10 Jan 1949 if the month comes first)"),
    ("very-1950s", "'very-1950s' is not a decade revpack reads",
     "decades look like 1940s, early 1940s, mid-1950s or late 1940s"),
    ("1945/47", "'1945/47' is not two years that follow each other", None),
    ("753 BCE – 476", "does not say whether it ends before it", None),
    ("44", "'44' has no year", None),
])
def test_date_messages_say_what_to_write(text, message, hint):
    if message is None:
        assert parse_date(text).format() == "mid-1950s"
        return
    with pytest.raises(DateError) as exc:
        parse_date(text)
    assert message in str(exc.value) and "'mid' in" not in str(exc.value)
    if hint:
        assert exc.value.hint == hint


def test_bce_dates_give_astronomical_iso_years():
    assert parse_date("753 BCE").iso() == "-0752"
    assert parse_date("1 BC").iso() == "-0000"
    assert parse_date("AD 79").iso() == "0079"


def test_a_roman_timeline_checks_and_prints_in_date_order(make_pack):
    from revpack.build import check, html_for

    yaml_text = (Path(__file__).parent / "fixtures" / "mini" / "pack.yaml").read_text()
    pack = make_pack({
        "pack.yaml": yaml_text.replace('period: "1917–1939"', 'period: "753 BCE – 476 CE"'),
        "timeline.md": "# Rome\n\n## Kings and republic\n\nSummary: From the founding.\n\n"
                       "- **753 BCE** — Rome founded, by tradition.\n"
                       "- **509 BCE** — The last king expelled.\n"
                       "- **264–146 BC** — The Punic Wars. [war]\n"
                       "- **15 Mar 44 BC** — Caesar killed.\n\n"
                       "## Empire\n\nSummary: Emperors.\n\n"
                       "- **27 BC – AD 14** — The reign of Augustus.\n"
                       "- **AD 79** — Vesuvius buries Pompeii.\n"
                       "- **476 CE** — The last western emperor deposed.\n"})
    result = check(pack)
    assert not [d for d in result.diagnostics.lines() if "timeline.md:" in d], \
        result.diagnostics.lines()
    html = html_for(pack, "timeline")
    years = ["753\u00a0BCE", "509\u00a0BCE", "264–146\u00a0BC", "15\u00a0Mar\u00a044\u00a0BC",
             "27\u00a0BC – AD\u00a014", "AD\u00a079", "476\u00a0CE"]
    at = [html.index(y) for y in years]
    assert at == sorted(at)
    assert 'datetime="-0752"' in html

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

"""Dates in Arabic news text, resolved to ISO 8601 against the publication date.

``find_dates`` on «وأوضح في مؤتمر صحفي عقده الجمعة 4 سبتمبر/أيلول» published 2015-09-15 gives
``DateSpan(text="الجمعة 4 سبتمبر/أيلول", value="2015-09-04")``. Spans are found by patterns
over the folded shadow text (``normalize``), so hamza, ta marbuta, tatweel and Arabic-Indic
digit variants need no patterns of their own, and are mapped back to the original text. A
span's words are then read one by one (``_read``) and the value is computed from what they
say and from the anchor (``meta["published"]``) and the previous date in the text (for «العام
نفسه»). Values: ``2015-09-04``, ``2015-09``, ``2015``, ISO weeks ``2015-W37``, and intervals
``2015-06-18/2015-07-16`` for a Hijri month or year (they straddle Gregorian months); None
when the anchor a relative date needs is unknown.

All word lists are data: ``lang/ar/months.tsv``, ``ordinals.tsv``, ``date_words.tsv``, plus
the month and weekday names of CLDR (Babel) and the Hijri month names of hijridate.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from babel.dates import get_day_names, get_month_names
from hijridate import Hijri

from qala.nlp import langdata
from qala.nlp.doc import DateSpan, Doc, Quote
from qala.nlp.normalize import fold, normalize

# CLDR locales whose wide month names are the three Gregorian series news uses.
_CLDR_MONTH_LOCALES = ("ar", "ar_LB", "ar_TN", "ar_MA")
_MIN_YEAR, _MAX_YEARS_AHEAD = 1900, 15  # bare 4-digit numbers read as years
_MIN_YEAR_DIGITS = 3  # inside a date, a number this long is a year («1436هـ»), a shorter one the day
# Roles of date_words.tsv that are context around a date, not words inside one.
_CONTEXT_ROLES = frozenset(
    {"future", "future_stop", "not_date", "not_today", "day_adjective", "year_noun", "year_quantity"}
)
# A month or day without a year is put in the year that brings it nearest to the anchor,
# a future distance counting this much more than a past one (news mostly reports the past,
# but announces events a few months ahead: «24 يونيو» in April is this June).
_FUTURE_WEIGHT = 1.5


_lines = langdata.rows


def _key(form: str) -> str:
    """Folded form with single spaces: the lookup key of a (multi-word) lexicon entry."""
    return " ".join(fold(form).split())


@dataclass(frozen=True, slots=True)
class DateLexicon:
    months: dict[str, tuple[str, int]]  # key -> (calendar, month number)
    context_months: frozenset[str]  # keys that are months only next to a day, year or other month
    weekdays: dict[str, int]  # key -> Python weekday (Monday = 0)
    ordinals: dict[str, int]  # key -> day of month
    roles: dict[str, dict[str, str]]  # role -> key -> value column
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern)
    lexer: re.Pattern[str]
    not_date: re.Pattern[str]
    first_words: frozenset[str]  # words a date expression can open with
    lexemes: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {role: value}


def _alt(forms: Iterable[str], end: str = r"(?!\w)") -> str:
    """A non-capturing alternation of folded forms, longest first, whole words only."""
    keys = sorted({_key(f) for f in forms}, key=len, reverse=True)
    body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
    return f"(?:{body}){end}"


@cache
def date_lexicon() -> DateLexicon:
    """Month, weekday, ordinal and relative-date words, loaded on first use."""
    months: dict[str, tuple[str, int]] = {}
    for loc in _CLDR_MONTH_LOCALES:
        for n, name in get_month_names("wide", locale=loc).items():
            months[_key(name)] = ("gregorian", n)
    for n in range(1, 13):
        months[_key(Hijri(1440, n, 1).month_name("ar"))] = ("hijri", n)
    context: set[str] = set()
    for row in _lines("months.tsv"):
        cal, n, form = row[0], int(row[1]), row[2]
        months[_key(form)] = (cal, n)
        if len(row) > 3 and "context" in row[3]:
            context.add(_key(form))
    weekdays = {_key(name): n for n, name in get_day_names("wide", locale="ar").items()}
    roles: dict[str, dict[str, str]] = {}
    for row in _lines("date_words.tsv"):
        role, form, value = (row + ["", ""])[:3]
        if role == "weekday":
            weekdays[_key(form)] = int(value)
        else:
            roles.setdefault(role, {})[_key(form)] = value
    ordinals = {_key(row[1]): int(row[0]) for row in _lines("ordinals.tsv")}

    lexemes: dict[str, dict[str, str]] = {}
    for k, (cal, n) in months.items():
        lexemes.setdefault(k, {})[cal] = str(n)
    for k, n in weekdays.items():
        lexemes.setdefault(k, {})["weekday"] = str(n)
    for k, n in ordinals.items():
        lexemes.setdefault(k, {})["ordinal"] = str(n)
    for role, words in roles.items():
        if role in _CONTEXT_ROLES:
            continue
        for k, v in words.items():
            lexemes.setdefault(k, {})[role] = v

    greg = [k for k, (cal, _) in months.items() if cal == "gregorian"]
    hijri = [k for k, (cal, _) in months.items() if cal == "hijri"]
    r = roles
    M, H, WD, ORD = _alt(greg), _alt(hijri), _alt(weekdays), _alt(ordinals)
    DEIC, UNIT, SHIFT, THIS, ANA = (_alt(r[x]) for x in ("deictic", "unit", "shift", "this", "anaphor"))
    PART, TOD, YW, CNT, CARD = (
        _alt(r[x]) for x in ("part", "time_of_day", "year_word", "counted", "cardinal")
    )
    SAME, AGO = _alt(r["same"]), _alt(r["ago"])
    HM, GM, BC = (_alt(r[x]) for x in ("hijri_marker", "gregorian_marker", "before_christ"))
    PART_GLUED = _alt(r["part"], end=r"(?![^\W\d_])")
    UNIT_YEAR = _alt(k for k, v in r["unit"].items() if v == "year")
    MX = rf"(?:\(\s*{M}\s*\)\s*{M}|{M}(?:\s*/\s*{M}|\s*\(\s*{M}\s*\)|\s+{M})?)"
    WDP = rf"(?:{TOD}\s+(?:يوم\s+)?|(?:يوم\s+)?(?:{DEIC}\s+)?){WD}"  # مساء الجمعة, يوم أمس الأربعاء
    SEP = r"(?:\s*[،,]\s*|\s+)"
    DAY = rf"(?:\d{{1,2}}(?!\d)\s*(?:من\s+)?|{ORD}\s+من\s+|اول\s+)(?:شهر\s+)?"
    YEAR = rf"\d{{4}}(?!\d)(?:\s*{GM})?"
    REL_YEAR = rf"(?:{UNIT_YEAR}\s+{SHIFT}(?:\s+\d{{4}}(?!\d))?|{THIS}\s+{UNIT_YEAR})"
    YT = rf"(?:\s*[،,]?\s*(?:من\s+)?(?:[لب]?{YW}\s*)?{YEAR}|\s+(?:من\s+)?{REL_YEAR})"
    bodies = (
        ("day_month", rf"(?:{WDP}{SEP})?{DAY}{MX}(?:{YT}|\s+{SHIFT})?"),  # الجمعة 4 سبتمبر/أيلول 2015
        (
            "day_of_month",
            rf"(?:{WDP}{SEP})?(?:\d{{1,2}}(?!\d)|{ORD})\s+من\s+(?:هذا\s+)?الشهر"
            rf"(?:\s+(?:{SHIFT}|{ANA}))?",
        ),  # 24 من الشهر ذاته
        ("month", rf"(?:{PART}\s+)?{MX}(?:{YT}|\s+{SHIFT})?"),  # سبتمبر 2015, يونيو الماضي
        (
            "numeric",
            rf"(?:{WDP}{SEP})?(?P<num>\d{{4}}(?P<s1>[-/.])\d{{1,2}}(?P=s1)\d{{1,2}}|\d{{1,2}}(?P<s2>[-/.])\d{{1,2}}(?P=s2)\d{{4}})(?!\d)",
        ),
        (
            "hijri",
            rf"(?:{WDP}{SEP})?(?:(?:\d{{1,2}}(?!\d)|{ORD}(?:\s+من)?)\s*(?:شهر\s+)?)?{H}\s*[،,]?\s*"
            rf"(?:(?:{YW})\s*)?\d{{3,4}}(?!\d)(?:\s*{HM})?",
        ),  # 3 شوال 1436هـ
        ("hijri_year", rf"(?:{YW}\s*)?\d{{3,4}}(?!\d)\s*{HM}"),  # 1436هـ
        ("before_christ", rf"(?:{YW}\s*)?\d{{1,4}}(?!\d)\s+{BC}"),  # عام 550 قبل الميلاد
        ("season", r"\d{4}\s*/\s*\d{2,4}(?!\d)"),  # 2017/2018
        ("year", rf"(?:{PART_GLUED}\s*)?(?:(?:{YW})\s*)?{YEAR}"),  # عام 2003, 2015, صيف2012
        ("period", rf"(?:{PART}\s+)?(?:{THIS}\s+{UNIT}|{UNIT}\s+(?:{SHIFT}|{ANA}))(?:\s+\d{{4}}(?!\d))?"),
        (
            "same",
            rf"{SAME}\s+(?:اليوم|{UNIT})(?:\s+من\s+{YW}\s*\d{{4}}(?!\d))?",
        ),  # نفس اليوم من عام 1957
        ("next_day", rf"اليوم\s+{ANA}"),  # اليوم التالي
        ("weekday", rf"{WDP}(?:\s+{SHIFT})?|(?:يوم\s+)?{DEIC}"),  # مساء الجمعة, أمس, الأحد الماضي
        (
            "ago",
            rf"{AGO}\s+(?:(?:\d{{1,3}}(?!\d)|{CARD})\s+)?{CNT}(?!\s+من\s)",
        ),  # قبل يومين; not «قبل 8 أشهر من»
        # a day coordinated with a full date: «[28] و29 يونيو», «من [18] إلى 20 سبتمبر»
        (
            "coordinated",
            rf"(?:\d{{1,2}}(?!\d)|{ORD})(?=\s*(?:و|الي|حتي|-)\s*(?:\d{{1,2}}|{ORD})"
            rf"(?:\s*(?:و|الي)\s*(?:\d{{1,2}}|{ORD}))*\s*(?:من\s+)?(?:{MX}|الشهر))",
        ),
    )
    # A proclitic (و ف ب ل ك) may precede the expression; it is left out of the span.
    patterns = tuple(
        (name, re.compile(rf"(?<!\w)(?:[وفبلك]{{1,2}})?(?P<span>{b})(?!\w)")) for name, b in bodies
    )
    lexer = re.compile(rf"\d+|{_alt(lexemes)}")
    not_date = re.compile(_alt(r["not_date"]))
    first = frozenset({k.split()[0] for k in lexemes} | {"يوم", "اول"})
    return DateLexicon(
        months, frozenset(context), weekdays, ordinals, roles, patterns, lexer, not_date, first, lexemes
    )


def parse_anchor(published: object) -> date | None:
    """The anchor day of ``meta["published"]``: ``"2018-03-26T18:51:19"`` -> 2018-03-26."""
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if not isinstance(published, str) or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


# --- reading a span -------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    """What the words of one span say."""

    year: int | None = None
    years: int = 0  # how many year numbers (two: «2017/2018», a season)
    day: int | None = None
    month: int | None = None
    calendar: str = "gregorian"
    months_named: int = 0
    ambiguous_month: bool = False  # the only month word is also a common word (مارس)
    weekday: int | None = None
    deictic: int | None = None
    unit: str | None = None  # day | week | month | year
    unit_shift: int | None = None
    month_shift: int | None = None
    weekday_shift: int | None = None
    anaphor: int | None = None  # «العام نفسه» 0, «اليوم التالي» +1
    same: bool = False  # «نفس اليوم»
    ago: bool = False
    count: int | None = None
    counted: str | None = None
    year_word: bool = False
    hijri: bool = False
    before_christ: bool = False


class _Reader:
    """Reads a span's words into a ``_Reading``; remembers what a shift word would apply to."""

    def __init__(self, lex: DateLexicon) -> None:
        self.lex = lex
        self.r = _Reading()
        self.head: str | None = None  # month | weekday | unit: what a following shift applies to
        self.this = False  # «هذا»/«الجاري» seen: the next unit is the current one
        self.steps = (self.calendar_word, self.count_word, self.unit_word, self.relative_word, self.marker_word)

    def read(self, folded: str) -> _Reading:
        words = [" ".join(w.split()) for w in self.lex.lexer.findall(folded)]
        for i, w in enumerate(words):
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if w.isdigit():
                self.number(w)
                continue
            roles = self.lex.lexemes.get(w, {})
            # the steps in order: the first that knows the word takes it
            any(step(w, nxt, roles) for step in self.steps)
        return self.r

    def number(self, w: str) -> None:
        """A number counts after «قبل», is a year with three digits or more, else the day."""
        r = self.r
        n = int(w)
        if r.ago:
            r.count = n
        elif len(w) >= _MIN_YEAR_DIGITS:
            r.years += 1
            r.year = n if r.year is None else r.year
        elif r.day is None:
            r.day = n

    def calendar_word(self, w: str, nxt: str, roles: dict[str, str]) -> bool:
        """A month (the first named one counts), a weekday or an ordinal day («الرابع»)."""
        r = self.r
        cal = "gregorian" if "gregorian" in roles else "hijri" if "hijri" in roles else None
        if cal:
            if r.month is None:
                r.month, r.calendar = int(roles[cal]), cal
            r.months_named += 1
            r.ambiguous_month = r.months_named == 1 and w in self.lex.context_months
            self.head = "month"
        elif "weekday" in roles:
            r.weekday, self.head = int(roles["weekday"]), "weekday"
        elif "ordinal" in roles:
            r.day = int(roles["ordinal"]) if r.day is None else r.day
        else:
            return False
        return True

    def count_word(self, w: str, nxt: str, roles: dict[str, str]) -> bool:
        """«قبل يومين», «قبل ثلاثة أسابيع»: «قبل», then what it counts and how many."""
        r = self.r
        if "ago" in roles:
            r.ago = True
        elif r.ago and "counted" in roles:
            unit, _, n = roles["counted"].partition(" ")
            r.counted = unit
            r.count = int(n) if n else r.count  # «قبل أيام» (no count) is too vague to date
        elif r.ago and "cardinal" in roles:
            r.count = int(roles["cardinal"])
        else:
            return False
        return True

    def unit_word(self, w: str, nxt: str, roles: dict[str, str]) -> bool:
        """A unit («الأسبوع», not «عام» before its number), «عام», «نفس», «اليوم التالي»."""
        r = self.r
        if "unit" in roles and not nxt.isdigit():
            r.unit, self.head = roles["unit"], "unit"
            if self.this:
                r.unit_shift = 0
        elif "year_word" in roles:
            r.year_word = True
        elif "same" in roles:
            r.same = True
        elif w == "اليوم" and (r.same or "anaphor" in self.lex.lexemes.get(nxt, {})):
            r.unit, self.head = "day", "unit"
        else:
            return False
        return True

    def relative_word(self, w: str, nxt: str, roles: dict[str, str]) -> bool:
        """«أمس», «هذا», «الماضي» (shifts what was named last: unit, month or weekday), «نفسه»."""
        r = self.r
        if "deictic" in roles:
            r.deictic = int(roles["deictic"])
        elif "this" in roles:
            self.this = True
        elif "shift" in roles:
            shift = int(roles["shift"])
            if self.head == "unit":
                r.unit_shift = shift
            elif self.head == "month":
                r.month_shift = shift
            elif self.head == "weekday":
                r.weekday_shift = shift
        elif "anaphor" in roles:
            r.anaphor = int(roles["anaphor"])
        else:
            return False
        return True

    def marker_word(self, w: str, nxt: str, roles: dict[str, str]) -> bool:
        """«هـ» (a Hijri year), «قبل الميلاد»."""
        if "hijri_marker" in roles:
            self.r.hijri = True
        elif "before_christ" in roles:
            self.r.before_christ = True
        else:
            return False
        return True


def _read(folded: str, lex: DateLexicon) -> _Reading:
    """Read the words of a folded span left to right: «الجمعه 4 سبتمبر/ايلول» → weekday, day, month."""
    return _Reader(lex).read(folded)


# --- resolving ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Point:
    """A resolved date and how precise it is: day | week | month | year."""

    day: date
    precision: str

    def iso(self) -> str:
        d = self.day
        if self.precision == "day":
            return d.isoformat()
        if self.precision == "week":
            y, w, _ = d.isocalendar()
            return f"{y}-W{w:02d}"
        if self.precision == "month":
            return f"{d.year:04d}-{d.month:02d}"
        return f"{d.year:04d}"


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m + 1, min(d.day, monthrange(y, m + 1)[1]))


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= monthrange(y, m)[1]


def _nearest_year(anchor: date, month: int, day: int | None, shift: int | None) -> int | None:
    """The year of «4 سبتمبر» / «سبتمبر الماضي» seen from ``anchor``."""
    years = [
        y for y in (anchor.year - 1, anchor.year, anchor.year + 1) if day is None or _valid(y, month, day)
    ]
    if not years:
        return None
    if shift == 0:
        return anchor.year if anchor.year in years else None

    def when(y: int) -> date:
        return date(y, month, day) if day is not None else date(y, month, 1)

    ref = anchor if day is not None else anchor.replace(day=1)
    if shift is not None and shift < 0:  # الماضي: the last one before the anchor
        past = [y for y in years if when(y) < ref or (day is not None and when(y) == ref)]
        return max(past) if past else None
    if shift is not None and shift > 0:  # المقبل: the next one after the anchor
        future = [y for y in years if when(y) > ref]
        return min(future) if future else None

    def cost(y: int) -> float:
        delta = (when(y) - ref).days
        return delta * _FUTURE_WEIGHT if delta > 0 else -delta

    return min(years, key=cost)


def _weekday_date(anchor: date, weekday: int, shift: int | None, forward: bool) -> date:
    back = (anchor.weekday() - weekday) % 7
    if shift is not None and shift < 0:
        return anchor - timedelta(days=back or 7)
    if shift is not None and shift > 0 or forward:
        ahead = (weekday - anchor.weekday()) % 7
        return anchor + timedelta(days=ahead or (7 if shift else 0))
    return anchor - timedelta(days=back)


def _hijri_value(r: _Reading, year: int) -> str | None:
    try:
        if r.month is None:
            start, end = Hijri(year, 1, 1), Hijri(year, 12, Hijri(year, 12, 1).month_length())
        elif r.day is None:
            start, end = Hijri(year, r.month, 1), Hijri(year, r.month, Hijri(year, r.month, 1).month_length())
        else:
            return Hijri(year, r.month, r.day).to_gregorian().isoformat()
        return f"{start.to_gregorian().isoformat()}/{end.to_gregorian().isoformat()}"
    except (ValueError, OverflowError):  # outside the Umm al-Qura table (1343-1500 AH) or no such day
        return None


def _resolve(r: _Reading, anchor: date | None, last: _Point | None, forward: bool) -> _Point | str | None:
    """The value of a reading: a ``_Point``, an interval string (Hijri), or None.

    The steps go from the most to the least specific thing a span names: a Hijri date, a
    month (with its day), a day of «الشهر», a weekday or «أمس», «قبل يومين», a relative
    unit («الأسبوع الماضي», «العام نفسه»), a bare year."""
    if r.before_christ or r.years >= 2:
        return None  # «عام 550 قبل الميلاد», a season «2017/2018»: no single value
    if r.hijri or r.calendar == "hijri":
        return _hijri_value(r, r.year) if r.year is not None else None
    known, year = _unit_year(r, anchor, last)
    if not known:
        return None
    if r.month is not None:
        return _month_value(r, year, anchor)
    if r.unit == "month" and r.day is not None:
        return _day_of_month(r, anchor, last)
    if r.weekday is not None or r.deictic is not None:
        return _day_value(r, anchor, forward)
    if r.ago:
        return _ago_value(r, anchor)
    if r.unit is not None and (r.unit_shift is not None or r.anaphor is not None or r.same):
        return _unit_value(r, year, anchor, last)
    if year is not None:
        return _Point(date(year, 1, 1), "year") if 1 <= year <= 9999 else None
    return None


def _unit_year(r: _Reading, anchor: date | None, last: _Point | None) -> tuple[bool, int | None]:
    """(known, year): the written year, else the one «العام الماضي» or «العام نفسه» means;
    known is False when that needs an anchor or an earlier date the text does not give."""
    year = r.year
    if r.unit == "year" and r.unit_shift is not None and year is None:
        if anchor is None:
            return False, None
        year = anchor.year + r.unit_shift
    if r.unit == "year" and r.anaphor is not None and year is None:
        if last is None:
            return False, None
        year = last.day.year + r.anaphor
    return True, year


def _month_value(r: _Reading, year: int | None, anchor: date | None) -> _Point | None:
    """«4 سبتمبر 2015», «سبتمبر الماضي»: without a year, the one nearest the anchor."""
    if r.month is None:
        return None
    if year is None:
        if anchor is None:
            return None
        year = _nearest_year(anchor, r.month, r.day, r.month_shift)
        if year is None:
            return None
    if r.day is not None:
        return _Point(date(year, r.month, r.day), "day") if _valid(year, r.month, r.day) else None
    return _Point(date(year, r.month, 1), "month")


def _day_of_month(r: _Reading, anchor: date | None, last: _Point | None) -> _Point | None:
    """«24 من الشهر ذاته» (the month of the last date), «الثامن عشر من الشهر الجاري» (the anchor's)."""
    if r.day is None:
        return None
    base = last.day if r.anaphor is not None and last and last.precision in ("day", "month") else anchor
    if base is None:
        return None
    base = _add_months(base, r.unit_shift or 0)
    return _Point(date(base.year, base.month, r.day), "day") if _valid(base.year, base.month, r.day) else None


def _day_value(r: _Reading, anchor: date | None, forward: bool) -> _Point | None:
    """«أمس», «الجمعة», «الأحد الماضي», «اليوم الثلاثاء»: a day counted from the anchor."""
    if anchor is None:
        return None
    base = anchor + timedelta(days=r.deictic or 0)
    if r.weekday is None:
        return _Point(base, "day")
    if r.deictic is not None:  # «اليوم الثلاثاء» in a text stamped Wednesday: trust the weekday
        delta = (r.weekday - base.weekday() + 3) % 7 - 3
        return _Point(base + timedelta(days=delta), "day")
    return _Point(_weekday_date(anchor, r.weekday, r.weekday_shift, forward), "day")


def _ago_value(r: _Reading, anchor: date | None) -> _Point | None:
    """«قبل يومين», «قبل ثلاثة أشهر»: back from the anchor, as precise as what is counted."""
    if anchor is None or r.count is None or r.counted is None:
        return None
    n = r.count
    if r.counted == "day":
        return _Point(anchor - timedelta(days=n), "day")
    if r.counted == "week":
        return _Point(anchor - timedelta(weeks=n), "week")
    if r.counted == "month":
        return _Point(_add_months(anchor, -n), "month")
    return _Point(anchor.replace(year=anchor.year - n, day=1), "year")


def _unit_value(r: _Reading, year: int | None, anchor: date | None, last: _Point | None) -> _Point | None:
    """«الأسبوع الماضي» (from the anchor), «العام نفسه», «اليوم التالي» (from the last date),
    «نفس اليوم من عام 1957» (the anchor's day in that year)."""
    if r.anaphor is not None or r.same:
        if year is not None and r.same and anchor is not None:
            return _Point(date(year, anchor.month, anchor.day), "day") if _valid(year, anchor.month, anchor.day) \
                else None
        if last is None or r.unit == "day" and last.precision != "day":
            return None
        base, shift = last.day, r.anaphor or 0
    else:
        if anchor is None:
            return None
        base, shift = anchor, r.unit_shift or 0
    return _shifted(base, shift, r.unit or "year")


def _shifted(base: date, shift: int, precision: str) -> _Point:
    """``base`` moved by ``shift`` days, weeks, months or years, at that precision."""
    if precision == "day":
        return _Point(base + timedelta(days=shift), "day")
    if precision == "week":
        return _Point(base + timedelta(weeks=shift), "week")
    if precision == "month":
        return _Point(_add_months(base, shift), "month")
    return _Point(date(base.year + shift, 1, 1), "year")


# --- finding --------------------------------------------------------------------------------

_WORD = re.compile(r"\w+|%")


_NEXT_WORD = re.compile(r"\s*(\w+|%)")
_NUMBER_BEFORE = re.compile(r"\d\s*[.,٫٬:/+-]?\s*\Z")
_COORDINATED_NUMBER = re.compile(r"(\d+)\s*(?:و|او|-|،|,)\s*\Z")


def _is_year_count(shadow: str, start: int, end: int, lex: DateLexicon) -> bool:
    """A bare 4-digit number that counts something: «2000 شخص», «نحو 1500», «3,2015»."""
    after = _NEXT_WORD.match(shadow, end)
    if after and (after.group(1) in lex.roles["year_noun"] or after.group(1).isdigit()):
        return True
    before = shadow[max(0, start - 30) : start]
    if _NUMBER_BEFORE.search(before):
        return True
    other = _COORDINATED_NUMBER.search(before)  # «القضية 1000 و2000» but not «بين 2011 و2017»
    if other and not _MIN_YEAR <= int(other.group(1)) <= 2100:
        return True
    words = _WORD.findall(before)
    return bool(words) and (
        words[-1] in lex.roles["year_quantity"] or " ".join(words[-2:]) in lex.roles["year_quantity"]
    )


_FUTURE_VERB = re.compile(r"[وف]?س([يتن]\w{3,})")


def _forward(shadow: str, start: int, lex: DateLexicon) -> bool:
    """Whether the sentence before ``start`` speaks of the future: «من المقرر أن ...», «سيتخذ»."""
    lo = max(start - 120, *(shadow.rfind(c, max(0, start - 120), start) for c in '.\n"“”«»'))  # the clause
    for w in _WORD.findall(shadow, lo + 1, start):
        if w in lex.roles["future"]:
            return True
        m = _FUTURE_VERB.fullmatch(w)
        if m and not any(w.lstrip("وف").startswith(stop) for stop in lex.roles["future_stop"]):
            return True
    return False


def _is_noun_day(shadow: str, s: int, e: int, lex: DateLexicon) -> bool:
    """«اليوم» as the noun "day": «ذلك اليوم», «اليوم العالمي», «على مدار اليوم»."""
    before = _WORD.findall(shadow, max(0, s - 20), s)
    if before and before[-1] in lex.roles["not_today"]:
        return True
    after = _NEXT_WORD.match(shadow, e)
    return bool(after) and (after.group(1) in lex.roles["day_adjective"] or after.group(1) in lex.ordinals)


_TOKEN = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
_PROCLITICS = "وفبلك"


def _opens(word: str, first: frozenset[str]) -> bool:
    """Whether ``word``, after at most two proclitics («و2017», «وفي», «لعام»), may open a date."""
    for k in range(3):
        core = word[k:]
        if not core:
            return False
        if core[0].isdigit() or core in first:
            return True
        head = _LETTERS.match(core)  # «صيف2012»
        if head and head.end() < len(core) and head.group() in first:
            return True
        if core[0] not in _PROCLITICS:
            return False
    return False


def _starts(shadow: str, lex: DateLexicon) -> list[int]:
    """Offsets where a date expression may begin: a word that may open one (``_opens``). Trying
    the patterns only there is several times faster than scanning the whole text with each."""
    out = []
    for m in _TOKEN.finditer(shadow):
        if _opens(m.group(), lex.first_words):
            s = m.start()
            if s and shadow[s - 1] == "(":  # «(أغسطس) آب»
                out.append(s - 1)
            out.append(s)
    return out


def _candidates(shadow: str, lex: DateLexicon) -> list[tuple[int, int, int, str, re.Match[str]]]:
    """(start, end, pattern order, kind, match) of every pattern matching at a possible start."""
    out = []
    for pos in _starts(shadow, lex):
        for order, (kind, pattern) in enumerate(lex.patterns):
            m = pattern.match(shadow, pos)
            if m:
                s, e = m.span("span")
                out.append((s, e, order, kind, m))
    return out


def _select(
    cands: list[tuple[int, int, int, str, re.Match[str]]],
) -> list[tuple[int, int, str, re.Match[str]]]:
    """Longest first, then leftmost, then pattern order; no two spans overlap."""
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    starts: list[int] = []
    for s, e, _, kind, m in sorted(cands, key=lambda c: (c[0] - c[1], c[0], c[2])):
        k = bisect_right(starts, s)
        if k and chosen[k - 1][1] > s or k < len(chosen) and chosen[k][0] < e:
            continue
        chosen.insert(k, (s, e, kind, m))
        starts.insert(k, s)
    return chosen


def _numeric(m: re.Match[str]) -> _Point | None:
    """``2015/9/4``, ``4/9/2015``, ``2015-09-04``: year first or last, day before month when last."""
    a, b, c = (int(x) for x in re.findall(r"\d+", m.group("num")))
    y, mo, d = (a, b, c) if a > 999 else (c, b, a)
    return _Point(date(y, mo, d), "day") if y >= 1 and _valid(y, mo, d) else None


def find_dates(doc: Doc) -> list[DateSpan]:
    """Date expressions of ``doc.text`` with ISO values resolved against ``doc.meta["published"]``.

    ``الجمعة 4 سبتمبر/أيلول`` (published 2015-09-15) → ``2015-09-04``; ``عام 2003`` → ``2003``;
    ``أمس`` → the day before publication, or None when the publication date is unknown.
    """
    text = doc.text
    if not text:
        return []
    lex = date_lexicon()
    norm = normalize(text)
    shadow = norm.text
    anchor = parse_anchor(doc.meta.get("published"))
    blocked = [m.span() for m in lex.not_date.finditer(shadow)]
    blocked_ends = [be for _, be in blocked]  # the matches do not overlap: ends rise with starts
    spans: list[DateSpan] = []
    last: _Point | None = None
    pending: list[tuple[int, int]] = []  # (span index, day) of coordinated days waiting for their month
    for s, e, kind, m in _select(_candidates(shadow, lex)):
        k = bisect_right(blocked_ends, s)  # the first blocked span that ends after s
        if k < len(blocked) and blocked[k][0] < e:
            continue
        r = _read(shadow[s:e], lex)
        if kind == "ago" and r.count is None:
            continue
        if kind == "weekday" and r.deictic == 0 and r.weekday is None and _is_noun_day(shadow, s, e, lex):
            continue
        if (
            r.ambiguous_month
            and r.day is None
            and r.year is None
            and r.month_shift is None
            and r.unit is None
        ):
            continue  # «مارس» alone is the verb "practised"
        if kind == "year" and not r.year_word:
            latest = (anchor.year if anchor else date.today().year) + _MAX_YEARS_AHEAD
            if not _MIN_YEAR <= (r.year or 0) <= latest or _is_year_count(shadow, s, e, lex):
                continue
        start, end = norm.to_original(s, e)
        if kind == "coordinated":
            spans.append(DateSpan(start, end, text[start:end], None))
            pending.append((len(spans) - 1, r.day or 0))
            continue
        point = (
            _numeric(m)
            if kind == "numeric"
            else None
            if kind == "season"
            else _resolve(r, anchor, last, _forward(shadow, s, lex))
        )
        if isinstance(point, _Point):
            for k, day in pending:  # «[28] و29 يونيو»: the day takes the next date's month
                if point.precision == "day" and _valid(point.day.year, point.day.month, day):
                    spans[k].value = date(point.day.year, point.day.month, day).isoformat()
            last = point
        pending = []
        spans.append(
            DateSpan(start, end, text[start:end], point.iso() if isinstance(point, _Point) else point)
        )
    return spans


# --- statements -----------------------------------------------------------------------------


def statement_dates(doc: Doc) -> list[str | None]:
    """The date of each of ``doc.quotes`` (see ``statement_date``); needs ``doc.dates``."""
    date_starts = [d.start for d in doc.dates]
    sentence_starts = [s.start for s in doc.sentences]
    return [statement_date(doc, q, date_starts, sentence_starts) for q in doc.quotes]


def statement_date(doc: Doc, quote: Quote, date_starts: list[int], sentence_starts: list[int]) -> str | None:
    """The date of one statement: a date between its cue and its content, else the nearest one
    before the cue in its sentence («وأوضح في مؤتمر صحفي عقده الجمعة 4 سبتمبر/أيلول: “...”»).

    Dates and sentences are in text order and do not overlap: their starts locate them."""
    k = bisect_right(sentence_starts, quote.cue.start) - 1
    if k >= 0 and quote.cue.start < doc.sentences[k].end:
        s_start, s_end = doc.sentences[k].start, doc.sentences[k].end
    else:
        s_start, s_end = 0, len(doc.text)
    cue, content = quote.cue, quote.content
    # «“...”، قال الوزير الخميس»: after the content, the clause runs from the cue to the sentence end
    between = (cue.end, content.start) if content.start >= cue.end else (cue.end, s_end)
    for k in range(bisect_left(date_starts, between[0]), len(date_starts)):
        d = doc.dates[k]
        if d.start >= between[1]:
            break
        if d.end <= between[1] and not (content.start <= d.start < content.end):
            return d.value
    for k in range(bisect_left(date_starts, cue.start) - 1, -1, -1):
        d = doc.dates[k]
        if d.start < s_start:
            break
        if d.end <= cue.start and not (content.start <= d.start < content.end):
            return d.value
    return None

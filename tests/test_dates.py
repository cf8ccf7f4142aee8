"""Date spans and their ISO values, resolved against the publication date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qala.nlp import analyze
from qala.nlp.dates import date_lexicon, find_dates, parse_anchor
from qala.nlp.doc import DateSpan, Doc

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ARTICLES = DATA / "news" / "articles.jsonl"
SEED = DATA / "seed" / "seed.jsonl"
SEED_GOLD = DATA / "gold" / "seed_entities.json"

PUBLISHED = "2015-09-15"  # a Tuesday


def dates_of(text: str, published: str | None = PUBLISHED) -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in find_dates(Doc(text, meta={"published": published}))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("عقده الجمعة 4 سبتمبر/أيلول في أعقاب", [("الجمعة 4 سبتمبر/أيلول", "2015-09-04")]),
        ("في 4 سبتمبر/أيلول 2015 قال", [("4 سبتمبر/أيلول 2015", "2015-09-04")]),
        ("في 4 سبتمبر 2014", [("4 سبتمبر 2014", "2014-09-04")]),
        ("يوم 2015/9/4 أعلن", [("2015/9/4", "2015-09-04")]),
        ("يوم 4/9/2015 أعلن", [("4/9/2015", "2015-09-04")]),
        ("بتاريخ 2015-09-04", [("2015-09-04", "2015-09-04")]),
        ("في الرابع من سبتمبر", [("الرابع من سبتمبر", "2015-09-04")]),
        ("في الحادي والعشرين من أغسطس", [("الحادي والعشرين من أغسطس", "2015-08-21")]),
        ("في أول تموز/يوليو", [("أول تموز/يوليو", "2015-07-01")]),
        ("منذ سبتمبر 2015", [("سبتمبر 2015", "2015-09")]),
        ("في يونيو/حزيران 2017", [("يونيو/حزيران 2017", "2017-06")]),
        ("دخلت حيز التنفيذ عام 2003، تضع", [("عام 2003", "2003")]),
        ("في العام 2003", [("العام 2003", "2003")]),
        ("ولد سنة 1979 في", [("سنة 1979", "1979")]),
        ("وفي 2016 وقعت", [("2016", "2016")]),
    ],
)
def test_dates_absolute(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert dates_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("في ٤ سبتمبر ٢٠١٥", [("٤ سبتمبر ٢٠١٥", "2015-09-04")]),
        ("عام ٢٠٠٣", [("عام ٢٠٠٣", "2003")]),
        ("في ١٥ تموز/يوليو ٢٠١٦", [("١٥ تموز/يوليو ٢٠١٦", "2016-07-15")]),
    ],
)
def test_dates_arabic_indic_digits(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert dates_of(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10 يناير 2016", "2016-01-10"),
        ("10 أبريل 2016", "2016-04-10"),
        ("10 ابريل 2016", "2016-04-10"),
        ("10 إبريل 2016", "2016-04-10"),
        ("10 يونيه 2016", "2016-06-10"),
        ("10 يوليه 2016", "2016-07-10"),
        ("10 اغسطس 2016", "2016-08-10"),
        ("10 كانون الثاني 2016", "2016-01-10"),
        ("10 شباط 2016", "2016-02-10"),
        ("10 آذار 2016", "2016-03-10"),
        ("10 نيسان 2016", "2016-04-10"),
        ("10 أيار 2016", "2016-05-10"),
        ("10 تموز 2016", "2016-07-10"),
        ("10 آب 2016", "2016-08-10"),
        ("10 تشرين الأول 2016", "2016-10-10"),
        ("10 تشرين الثاني 2016", "2016-11-10"),
        ("10 كانون الأول 2016", "2016-12-10"),
        ("10 جانفي 2016", "2016-01-10"),
        ("10 فيفري 2016", "2016-02-10"),
        ("10 أفريل 2016", "2016-04-10"),
        ("10 ماي 2016", "2016-05-10"),
        ("10 جوان 2016", "2016-06-10"),
        ("10 جويلية 2016", "2016-07-10"),
        ("10 أوت 2016", "2016-08-10"),
        ("10 (أغسطس) آب 2016", "2016-08-10"),
        ("10 آب (أغسطس) 2016", "2016-08-10"),
        ("10 نوفمبر تشرين الثاني 2016", "2016-11-10"),
    ],
)
def test_dates_month_series(text: str, value: str) -> None:
    assert dates_of(f"في {text} وقع") == [(text, value)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال الخميس إن", [("الخميس", "2015-09-10")]),
        ("أعلن الثلاثاء أن", [("الثلاثاء", "2015-09-15")]),  # the anchor's own weekday
        ("أعلن الأحد الماضي", [("الأحد الماضي", "2015-09-13")]),
        ("يصل السبت المقبل", [("السبت المقبل", "2015-09-19")]),
        ("من المقرر أن يصل الخميس", [("الخميس", "2015-09-17")]),
        ("صرح مساء الجمعة", [("مساء الجمعة", "2015-09-11")]),
        ("أعلن اليوم الثلاثاء", [("اليوم الثلاثاء", "2015-09-15")]),
        ("قال أمس", [("أمس", "2015-09-14")]),
        ("قال أمس الأول", [("أمس الأول", "2015-09-13")]),
        ("يبدأ اليوم", [("اليوم", "2015-09-15")]),
        ("يصل غدا", [("غدا", "2015-09-16")]),
        ("وصل الأسبوع الماضي", [("الأسبوع الماضي", "2015-W37")]),
        ("يبدأ الشهر المقبل", [("الشهر المقبل", "2015-10")]),
        ("بدأ الشهر الماضي", [("الشهر الماضي", "2015-08")]),
        ("في العام الماضي", [("العام الماضي", "2014")]),
        ("في العام المقبل", [("العام المقبل", "2016")]),
        ("هذا العام", [("هذا العام", "2015")]),
        ("أعلن مطلع هذا الأسبوع", [("مطلع هذا الأسبوع", "2015-W38")]),
        ("في منتصف الشهر الجاري", [("منتصف الشهر الجاري", "2015-09")]),
        ("في يونيو الماضي", [("يونيو الماضي", "2015-06")]),
        ("في أغسطس/آب من العام الماضي", [("أغسطس/آب من العام الماضي", "2014-08")]),
        ("قبل يومين", [("قبل يومين", "2015-09-13")]),
        ("قبل 12 عاما", [("قبل 12 عاما", "2003")]),
        ("في 24 من الشهر الجاري", [("24 من الشهر الجاري", "2015-09-24")]),
        ("في 28 و29 يونيو", [("28", "2015-06-28"), ("29 يونيو", "2015-06-29")]),
        ("في يناير 2010، وفي الشهر نفسه", [("يناير 2010", "2010-01"), ("الشهر نفسه", "2010-01")]),
        (
            "في 3 مارس 2010 وعاد في اليوم التالي",
            [("3 مارس 2010", "2010-03-03"), ("اليوم التالي", "2010-03-04")],
        ),
    ],
)
def test_dates_relative(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert dates_of(text) == expected


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        ("4 سبتمبر", "2015-09-15", "2015-09-04"),  # just before the anchor
        ("24 يونيو", "2018-04-18", "2018-06-24"),  # an event announced two months ahead
        ("نوفمبر", "2018-04-16", "2017-11"),  # more than half a year ahead: last year's
        ("ديسمبر", "2019-01-10", "2018-12"),
        ("15 يناير", "2018-12-20", "2019-01-15"),
    ],
)
def test_dates_year_from_anchor(text: str, published: str, value: str) -> None:
    assert dates_of(f"في {text} حدث", published) == [(text, value)]


@pytest.mark.parametrize(
    "text",
    ["قال الخميس إن", "قال أمس", "في العام الماضي", "الأسبوع الماضي", "4 سبتمبر", "يونيو الماضي"],
)
def test_dates_relative_without_anchor_is_none(text: str) -> None:
    found = dates_of(text, published=None)
    assert len(found) == 1 and found[0][1] is None


def test_dates_absolute_without_anchor_keeps_value() -> None:
    assert dates_of("في 4 سبتمبر 2015 وعام 2003", published=None) == [
        ("4 سبتمبر 2015", "2015-09-04"),
        ("عام 2003", "2003"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3 شوال 1436هـ", "2015-07-19"),
        ("3 شوال 1436 هـ", "2015-07-19"),
        ("رمضان 1436 هـ", "2015-06-18/2015-07-16"),  # a Hijri month is an interval of Gregorian days
        ("الأول من محرم 1437هـ", "2015-10-14"),
        ("١ رمضان ١٤٣٦هـ", "2015-06-18"),
    ],
)
def test_dates_hijri(text: str, value: str) -> None:
    assert dates_of(f"في {text} أعلن") == [(text, value)]


@pytest.mark.parametrize(
    "text",
    [
        "نقلتها شبكة روسيا اليوم الإخبارية",  # a TV channel
        "مارس الرئيس ضغوطا",  # مارس "practised"
        "قتل 2000 شخص",  # a count
        "نحو 1500 عنصر",
        "بمناسبة اليوم العالمي للصحافة",
        "قتلوا قبل أيام",  # no count: too vague
        "تيريزا ماي قالت",
    ],
)
def test_dates_not_dates(text: str) -> None:
    assert dates_of(text) == []


@pytest.mark.parametrize("published", ["2018-03-26T18:51:19", "2018-03-26", "2018-03-26T18:51:19+02:00"])
def test_dates_anchor_forms(published: str) -> None:
    assert parse_anchor(published).isoformat() == "2018-03-26"
    assert dates_of("قال أمس", published) == [("أمس", "2018-03-25")]


@pytest.mark.parametrize("published", [None, "", "unknown", 20180326])
def test_dates_anchor_unknown(published: object) -> None:
    assert parse_anchor(published) is None


def test_dates_offsets_with_diacritics_and_tatweel() -> None:
    text = "وقال فـي عـام ٢٠٠٣ إنَّ الخميسَ مهم"
    spans = find_dates(Doc(text, meta={"published": PUBLISHED}))
    assert [text[d.start : d.end] for d in spans] == [d.text for d in spans] == ["عـام ٢٠٠٣", "الخميسَ"]
    assert [d.value for d in spans] == ["2003", "2015-09-10"]


def test_dates_lexicon_from_cldr_and_data() -> None:
    lex = date_lexicon()
    assert lex.months["سبتمبر"] == ("gregorian", 9)
    assert lex.months["ايلول"] == ("gregorian", 9)  # folded: أيلول
    assert lex.months["جويليه"] == ("gregorian", 7)
    assert lex.months["شوال"] == ("hijri", 10)
    assert lex.weekdays["الخميس"] == 3
    assert lex.ordinals["الحادي والثلاثين"] == 31


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("وأوضح في مؤتمر صحفي عقده الجمعة 4 سبتمبر/أيلول: “إننا حذرنا مرارا”.", "2015-09-04"),
        ("وكان المتحدث قد قال الخميس إن واشنطن مستعدة للمساعدة.", "2015-09-10"),
        ("قال الوزير إن الاجتماع سيعقد في 4 أكتوبر 2015.", None),  # a date inside the content
    ],
)
def test_dates_statement_date(text: str, date: str | None) -> None:
    doc = analyze(text, {"published": PUBLISHED})
    assert doc.quotes, text
    assert doc.quotes[0].date == date


def test_dates_analyze_options_off() -> None:
    from qala.nlp import Options

    doc = analyze(
        "قال الوزير أمس إن الوضع مستقر https://t.co/x",
        {"published": PUBLISHED},
        options=Options(dates=False, links=False),
    )
    assert doc.dates == [] and doc.links == []


@pytest.fixture(scope="module")
def seed() -> dict:
    if not SEED.exists() or not SEED_GOLD.exists():
        pytest.skip("seed data not found")
    article = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    return {"text": article["text"], "published": gold["published"], "gold": gold["dates"]}


def test_dates_seed_expectations(seed: dict) -> None:
    doc = analyze(seed["text"], {"published": seed["published"]})
    found = {(d.text, d.value) for d in doc.dates}
    for g in seed["gold"]:
        assert (g["text"], g["value"]) in found
    statement = next(q for q in doc.quotes if "حذرنا مرارا" in q.content.text)
    assert statement.date == "2015-09-04"


@pytest.mark.slow
def test_dates_corpus_offsets() -> None:
    if not ARTICLES.exists():
        pytest.skip(f"{ARTICLES} not found")
    n = 0
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        text = article["text"]
        for d in find_dates(Doc(text, meta={"published": article.get("date")})):
            assert isinstance(d, DateSpan)
            assert text[d.start : d.end] == d.text and d.text == d.text.strip()
            n += 1
    assert n > 500

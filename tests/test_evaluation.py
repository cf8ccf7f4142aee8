"""Scoring rules of spec/annotation.md on hand-built gold and predicted documents."""

import pytest

from qala.evaluation import (
    GoldStatement,
    PredictedStatement,
    evaluate,
    fold_for_scoring,
    match_statements,
    scoring_tokens,
    speaker_is_right,
    token_f1,
)


def gold_quote(
    content, speaker="فلاديمير بوتين", aliases=("فلاديمير بوتين", "بوتين"), type_="indirect", optional=False
):
    q = {"speaker": speaker, "aliases": list(aliases), "cue": "قال", "type": type_, "content": content}
    if optional:
        q["optional"] = True
    return q


def pred_quote(content, speaker="فلاديمير بوتين", type_="indirect"):
    return {
        "type": type_,
        "speaker": None if speaker is None else {"name": speaker, "resolution": "explicit"},
        "cue": {"start": 0, "end": 3, "text": "قال"},
        "content": {"start": 4, "end": 4 + len(content), "text": content},
    }


def score(gold_quotes, pred_quotes):
    return evaluate([{"id": "d1", "quotes": gold_quotes}], [{"id": "d1", "quotes": pred_quotes}])


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("الْمَدْرَسَةُ", "المدرسه"),
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
        ("مستشفى مؤتمر رئيس", "مستشفي موتمر رييس"),
        ("جمـــيل", "جميل"),
        ("«قال»، نعم؛ لماذا؟ “حسنا” (جدا)!", "قال نعم لماذا حسنا جدا"),
        ("الأمن،والاستقرار", "الامن والاستقرار"),
    ],
)
def test_evaluation_fold_for_scoring(text, folded):
    assert fold_for_scoring(text) == folded


@pytest.mark.parametrize(
    ("predicted", "gold", "f1"),
    [
        ("الحرب ستنتهي قريبا", "الحرب ستنتهي قريبا", 1.0),
        ("الحرب الحرب", "الحرب", 2 / 3),  # multiset: one of the two counts
        ("", "الحرب", 0.0),
    ],
)
def test_evaluation_token_f1(predicted, gold, f1):
    assert token_f1(scoring_tokens(predicted), scoring_tokens(gold)) == pytest.approx(f1)


@pytest.mark.parametrize(
    ("gold", "predicted", "matched"),
    [
        ("الحرب في سوريا ستنتهي قريبا", "الحرب في سوريا ستنتهي قريبا", 1),
        # 2 of 4 gold words, 2-word prediction: F1 = 4/6 >= 0.5
        ("الحرب ستنتهي قريبا جدا", "الحرب ستنتهي", 1),
        # 2 common of 4 + 4 words: F1 = 0.5 exactly, on the line
        ("الحرب ستنتهي قريبا جدا", "الحرب ستنتهي بعد عام", 1),
        # 2 common of 4 + 5 words: F1 = 4/9 < 0.5
        ("الحرب ستنتهي قريبا جدا", "الحرب ستنتهي بعد عام كامل", 0),
        ("الحرب ستنتهي قريبا", "السلام قادم لا محالة", 0),
        # diacritics, alef forms, ة/ه, ى/ي and punctuation all fold away
        ("إنّ الأزمةَ كانت متوقعة تماماً", "«ان الازمه كانت متوقعه تماما»،", 1),
        ("المستشفى أُغلق", "المستشفي اغلق.", 1),
    ],
)
def test_evaluation_content_match_threshold(gold, predicted, matched):
    report = score([gold_quote(gold)], [pred_quote(predicted)])
    assert report.matched == matched
    assert report.predicted == 1
    assert report.gold_required == 1


@pytest.mark.parametrize(
    ("gold", "predictions", "matched_content"),
    [
        # the better of two predictions takes the one gold statement; the other is a false positive
        (
            "الحرب ستنتهي قريبا جدا",
            ["الحرب ستنتهي قريبا", "الحرب ستنتهي قريبا جدا"],
            "الحرب ستنتهي قريبا جدا",
        ),
    ],
)
def test_evaluation_greedy_one_to_one(gold, predictions, matched_content):
    report = score([gold_quote(gold)], [pred_quote(p) for p in predictions])
    doc = report.documents[0]
    assert (report.matched, report.predicted) == (1, 2)
    assert [p.content for p in doc.false_positives] == [p for p in predictions if p != matched_content]
    assert report.metrics()["statement_precision"] == pytest.approx(0.5)
    assert report.metrics()["statement_recall"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("gold", "predictions", "pairs"),
    [
        # the one prediction fits gold 1 exactly, so gold 0 (listed first, F1 6/7) goes without
        (["الحرب في سوريا ستنتهي", "الحرب في سوريا"], ["الحرب في سوريا"], {1: 0}),
        # best pairs first: prediction 0 takes gold 1 (1.0), leaving gold 0 to prediction 1 (8/9)
        (
            ["الحرب في سوريا ستنتهي", "الحرب في سوريا"],
            ["الحرب في سوريا", "الحرب في سوريا ستنتهي قريبا"],
            {1: 0, 0: 1},
        ),
        # equal F1: the earlier prediction wins, the later one is left over
        (["الحرب ستنتهي"], ["الحرب ستنتهي", "الحرب ستنتهي"], {0: 0}),
    ],
)
def test_evaluation_greedy_best_pairs_first(gold, predictions, pairs):
    gold_statements = [GoldStatement.from_dict(gold_quote(g)) for g in gold]
    pred_statements = [PredictedStatement.from_dict(pred_quote(p)) for p in predictions]
    matches = match_statements(gold_statements, pred_statements)
    assert {m.gold: m.predicted for m in matches} == pairs
    report = score([gold_quote(g) for g in gold], [pred_quote(p) for p in predictions])
    assert report.matched == len(pairs)
    assert len(report.documents[0].missed) == len(gold) - len(pairs)
    assert len(report.documents[0].false_positives) == len(predictions) - len(pairs)


@pytest.mark.parametrize(
    ("gold", "predictions", "pairs"),
    [
        # a tie between required and optional gold goes to the required one
        ([("الحرب ستنتهي", True), ("الحرب ستنتهي", False)], ["الحرب ستنتهي"], {1: 0}),
        # one greedy pass over all gold: the optional statement fits better and takes the prediction
        ([("الحرب في سوريا ستنتهي", False), ("الحرب في سوريا", True)], ["الحرب في سوريا"], {1: 0}),
    ],
)
def test_evaluation_optional_in_same_greedy_pass(gold, predictions, pairs):
    gold_statements = [GoldStatement.from_dict(gold_quote(g, optional=o)) for g, o in gold]
    pred_statements = [PredictedStatement.from_dict(pred_quote(p)) for p in predictions]
    assert {m.gold: m.predicted for m in match_statements(gold_statements, pred_statements)} == pairs


@pytest.mark.parametrize(
    ("predictions", "predicted", "matched", "fn"),
    [
        ([], 0, 0, 1),  # unmatched optional gold is no false negative
        (["أعرب عن قلقه البالغ"], 0, 0, 1),  # matched optional: neither TP nor FP
        (["أعرب عن قلقه البالغ", "الحرب ستنتهي قريبا"], 1, 1, 0),
        (["كلام آخر تماما بلا صلة"], 1, 0, 1),  # matching nothing: a false positive
    ],
)
def test_evaluation_optional_gold_not_counted(predictions, predicted, matched, fn):
    gold = [gold_quote("أعرب عن قلقه البالغ", optional=True), gold_quote("الحرب ستنتهي قريبا")]
    report = score(gold, [pred_quote(p) for p in predictions])
    assert report.gold_required == 1
    assert report.predicted == predicted
    assert report.matched == matched
    assert len(report.documents[0].missed) == fn
    assert report.optional_matched == (1 if predictions and predictions[0].startswith("أعرب") else 0)


@pytest.mark.parametrize(
    ("predicted_name", "right"),
    [
        ("فلاديمير بوتين", True),
        ("الرئيس الروسي فلاديمير بوتين", True),
        ("بوتين", True),
        ("بوتين،", True),
        ("فلاديميرُ بوتينْ", True),
        ("بوت", False),  # not a whole word
        ("بوتينوف", False),
        ("فلاديمير", False),  # alias "فلاديمير بوتين" is not inside, and no alias is just "فلاديمير"
        ("الرئيس الروسي", False),
        (None, False),
        ("", False),
    ],
)
def test_evaluation_speaker_alias_word_run(predicted_name, right):
    assert speaker_is_right(predicted_name, "فلاديمير بوتين", ["فلاديمير بوتين", "بوتين"]) is right
    report = score([gold_quote("الحرب ستنتهي قريبا")], [pred_quote("الحرب ستنتهي قريبا", predicted_name)])
    assert report.matched == 1
    assert report.speaker_right == int(right)
    assert len(report.documents[0].wrong_speaker) == int(not right)


@pytest.mark.parametrize(
    ("gold_docs", "predicted_docs", "missed"),
    [
        ([{"id": "a", "quotes": [gold_quote("الحرب ستنتهي قريبا"), gold_quote("السلام قادم")]}], [], 2),
        ([{"id": "a", "quotes": [gold_quote("الحرب ستنتهي قريبا")]}], [{"id": "b", "quotes": []}], 1),
    ],
)
def test_evaluation_missing_predicted_doc(gold_docs, predicted_docs, missed):
    report = evaluate(gold_docs, predicted_docs)
    doc = report.documents[0]
    assert not doc.has_prediction
    assert len(doc.missed) == missed
    assert report.metrics()["statement_recall"] == 0.0
    assert report.predicted == 0


def test_evaluation_report_metrics_and_types():
    gold = [
        gold_quote("الحرب ستنتهي قريبا", type_="indirect"),
        gold_quote("لن نتراجع عن موقفنا أبدا", type_="direct"),
        gold_quote("الأزمة كانت متوقعة تماما", type_="mixed"),
        gold_quote("أعرب عن قلقه", optional=True),
    ]
    preds = [
        pred_quote("الحرب ستنتهي قريبا"),
        pred_quote("لن نتراجع عن موقفنا أبدا", speaker="باراك أوباما", type_="direct"),
        pred_quote("كلام بلا صلة بأي شيء"),
        pred_quote("أعرب عن قلقه"),
    ]
    report = score(gold, preds)
    m = report.metrics()
    assert (report.gold_required, report.predicted, report.matched, report.speaker_right) == (3, 3, 2, 1)
    assert m["statement_precision"] == pytest.approx(2 / 3)
    assert m["statement_recall"] == pytest.approx(2 / 3)
    assert m["speaker_accuracy"] == pytest.approx(1 / 2)
    assert m["e2e_precision"] == pytest.approx(1 / 3)
    assert m["e2e_recall"] == pytest.approx(1 / 3)
    assert m["e2e_f1"] == pytest.approx(1 / 3)
    assert {t: s.recall for t, s in report.per_type.items()} == {"direct": 1.0, "indirect": 1.0, "mixed": 0.0}
    d = report.to_dict()
    assert d["counts"]["optional_matched"] == 1
    assert d["documents"][0]["wrong_speaker"][0]["predicted"]["speaker"] == "باراك أوباما"
    assert d["documents"][0]["missed"][0]["type"] == "mixed"


@pytest.mark.parametrize(
    ("gold_docs", "predicted_docs", "message"),
    [
        ([{"quotes": []}], [], "'id'"),
        ([{"id": "a", "quotes": [{"speaker": "x", "type": "direct"}]}], [], "'content'"),
        ([{"id": "a", "quotes": [gold_quote("نعم", type_="quoted")]}], [], "unknown quote type"),
        ([{"id": "a", "quotes": []}, {"id": "a", "quotes": []}], [], "twice"),
        ([], [{"id": "a", "quotes": [{"content": 3}]}], "content.text"),
    ],
)
def test_evaluation_malformed_input_raises(gold_docs, predicted_docs, message):
    with pytest.raises(ValueError, match=message):
        evaluate(gold_docs, predicted_docs)

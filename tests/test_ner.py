"""The CRF named-entity recognizer: training, the shipped model, corpus readers, eval-ner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qala.cli import app
from qala.ner_train import (
    Article,
    build_resources,
    last_sixth,
    load_recognizer,
    normalize_tag,
    read_anercorp,
    read_aqmar,
    read_news_dev,
    read_wojood,
    score_words,
    train,
    training_examples,
    word_spans,
)
from qala.nlp.doc import Doc
from qala.nlp.ner import recognize
from qala.nlp.ner_features import proclitic_length, split_proclitics
from qala.nlp.segment import split_sentences, tokenize

ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "articles.jsonl"

TINY_BIO = """\
قال O
الرئيس O
كمال B-PER
سعيد I-PER
في O
طرابلس B-LOC
. O

وزار O
كمال B-PER
سعيد I-PER
مقر O
شركة B-ORG
النور I-ORG
. O

وصل O
كمال B-PER
سعيد I-PER
إلى O
طرابلس B-LOC
. O
"""


def doc_of(text: str) -> Doc:
    sentences = split_sentences(text)
    return Doc(text, sentences=sentences, tokens=tokenize(text, sentences))


@pytest.mark.parametrize(
    ("word", "expected"),
    [("والرئيس", 1), ("وبالقاهره", 2), ("للامم", 1), ("وزير", 0), ("بوتين", 0), ("في", 0)],
)
def test_ner_proclitic_length(word, expected):
    assert proclitic_length(word, {"بوتين": 5}) == expected


def test_ner_split_proclitics_restores_article():
    assert split_proclitics("وللامم", {}) == [(0, 1, "و", True), (1, 2, "ل", True), (2, 6, "الامم", False)]


def test_ner_tiny_model_tags_its_training_sentences(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(TINY_BIO, encoding="utf-8")
    sentences = read_aqmar(path)
    resources = build_resources(sentences, [])
    model = tmp_path / "tiny.crfsuite"
    train(training_examples(sentences, [], resources), resources, model)
    recognizer = load_recognizer(model, resources)
    assert score_words(recognizer, sentences).prf()[2] == 1.0
    assert word_spans(recognizer, [w for w, _ in sentences[0]]) == [(2, 4, "PER"), (5, 6, "LOC")]


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        (
            "قال الرئيس الروسي فلاديمير بوتين في موسكو إن بلاده لن تتراجع.",
            {("فلاديمير بوتين", "PER"), ("موسكو", "LOC")},
        ),
    ],
)
def test_ner_shipped_model_finds_obvious_entities(text, mentions):
    found = {(text[s:e], kind) for s, e, kind in recognize(doc_of(text))}
    assert mentions <= found


def test_ner_mention_leaves_out_proclitic():
    text = "وصل الوفد إلى القاهرة ثم توجه إلى الرياض وبغداد."
    found = {text[s:e] for s, e, _ in recognize(doc_of(text))}
    assert "بغداد" in found and "وبغداد" not in found


def test_ner_without_tokens_segments_itself():
    text = "التقى الرئيس الروسي فلاديمير بوتين في موسكو."
    assert recognize(Doc(text)) == recognize(doc_of(text))


@pytest.mark.slow
def test_ner_offsets_valid_on_all_articles():
    if not ARTICLES.exists():
        pytest.skip("news corpus not available")
    with ARTICLES.open(encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    assert len(articles) == 408
    for article in articles:
        text = article["text"]
        mentions = recognize(doc_of(text))
        prev_end = 0
        for s, e, kind in mentions:
            assert prev_end <= s < e <= len(text), article["id"]
            assert kind in {"PER", "ORG", "LOC", "MISC"}
            assert text[s:e].strip() == text[s:e]
            prev_end = e


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("B-MIS1`", "B-MISC"),
        ("I--ORG", "I-ORG"),
        ("OO", "O"),
        ("IO", "O"),
        ("B-PERS", "B-PER"),
        ("B-ENGLISH", "B-MISC"),
        ("I-MIS-2", "I-MISC"),
    ],
)
def test_ner_normalize_tag(tag, expected):
    assert normalize_tag(tag) == expected


def test_ner_read_aqmar(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("دمشق B-LOC\nهي O\n\nابن B-MIS0\nطولون I-MIS0\nو IO\n", encoding="utf-8")
    assert read_aqmar(path) == [
        [("دمشق", "B-LOC"), ("هي", "O")],
        [("ابن", "B-MISC"), ("طولون", "I-MISC"), ("و", "O")],
    ]


def test_ner_read_wojood_keeps_outermost_of_our_types(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text(
        "سكرتير B-OCC\nاللجنة I-OCC B-ORG\nالقومية I-OCC I-ORG\nفي I-OCC\nنابلس I-OCC B-GPE\n$#$ O\n"
        "\nروسيا B-ORG\n",
        encoding="utf-8",
    )
    assert read_wojood(path) == [
        [("سكرتير", "O"), ("اللجنة", "B-ORG"), ("القومية", "I-ORG"), ("في", "O"), ("نابلس", "B-LOC")],
        [("روسيا", "B-ORG")],
    ]


def test_ner_read_anercorp_cuts_sentences_and_sixth(tmp_path):
    path = tmp_path / "n.txt"
    lines = ["جورج B-PERS", "بوش I-PERS", "في O", "واشنطن B-LOC", ". O"] * 6
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sentences = read_anercorp(path)
    assert len(sentences) == 6 and sentences[0][0] == ("جورج", "B-PER")
    train_part, test_part = last_sixth(sentences)
    assert (len(train_part), len(test_part)) == (5, 1)


def test_ner_read_news_dev(tmp_path):
    articles = tmp_path / "articles.jsonl"
    annotations = tmp_path / "annotations.jsonl"
    articles.write_text(
        json.dumps({"id": "x-1", "text": "زار بوتين موسكو.", "split": "dev"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    annotations.write_text(
        json.dumps(
            {"id": "x-1", "entities": [{"start": 4, "end": 9, "text": "بوتين", "type": "PER"}], "dates": []},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    assert read_news_dev(annotations, articles) == [Article("x-1", "زار بوتين موسكو.", [(4, 9, "PER")])]


def test_ner_eval_cli_on_tiny_file(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text(
        "قال O\nالرئيس O\nالروسي O\nفلاديمير B-PERS\nبوتين I-PERS\nفي O\nموسكو B-LOC\n. O\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["eval-ner", "--conll", str(path)])
    assert result.exit_code == 0, result.output
    assert "micro" in result.output and "PER" in result.output


@pytest.mark.parametrize(
    ("content", "args"),
    [
        ("just one field\n", []),
        ('{"id": 1}\n', []),
        ("كلمة B-PER\n", ["--format", "xml"]),
    ],
)
def test_ner_eval_cli_bad_input_exits_2(tmp_path, content, args):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["eval-ner", "--conll", str(path), *args])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error:") and len(result.output.strip().splitlines()) == 1


def test_ner_eval_cli_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["eval-ner", "--conll", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "error:" in result.output


def test_ner_fast_viterbi_gives_crfsuite_labels():
    """The shipped model's labels from the batched Viterbi equal crfsuite's own tagger's."""
    from qala.nlp.ner import default_recognizer, subtokens

    recognizer = default_recognizer()
    with ARTICLES.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f][:40]
    checked = 0
    for text in texts:
        tokens = tokenize(text, split_sentences(text))
        sentences, i = [], 0
        while i < len(tokens):
            j = i + 1
            while j < len(tokens) and tokens[j].sent == tokens[i].sent:
                j += 1
            sentences.append(subtokens(tokens[i:j], recognizer.resources.vocabulary))
            i = j
        fast = recognizer._viterbi.tag_many([[(p.form, p.clitic) for p in s] for s in sentences])
        for pieces, labels in zip(sentences, fast, strict=True):
            assert labels == recognizer.tag_crfsuite(pieces)
            checked += len(pieces)
    assert checked > 5000

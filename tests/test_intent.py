"""The intent classifier: its file format and checks (unit), and the shipped one reading
a question the way it reads its Vietnamese twin, in English, without marks or in
shorthand (end-to-end, on the real encoder)."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from assistant.errors import ModelLoadError
from assistant.query.intent import KINDS, META_FIELDS, ROLES, HASH_SLOTS, Head, IntentModel, word_features


def _model(dimension: int = 4, slots: int = 8) -> IntentModel:
    width = dimension + slots
    kind = Head(KINDS, np.zeros((len(KINDS), width), np.float32), np.arange(len(KINDS), dtype=np.float32), True)
    meta = Head(META_FIELDS, np.zeros((len(META_FIELDS), width), np.float32),
                np.array([5.0] + [-5.0] * (len(META_FIELDS) - 1), np.float32), False)
    role = Head(ROLES, np.zeros((len(ROLES), width), np.float32), np.zeros(len(ROLES), np.float32), False)
    answerable = Head(("answerable",), np.zeros((1, width), np.float32), np.array([2.0], np.float32), False)
    return IntentModel(kind, meta, role, answerable, slots, {"dimension": dimension, "embedder": "fake"})


def test_word_features_are_the_same_on_every_machine_and_fold_marks():
    a, b = word_features("Ai ký kế hoạch?"), word_features("ai ki ke hoach")
    assert a.shape == (HASH_SLOTS,) and np.allclose(a, b) and np.isclose(np.linalg.norm(a), 1.0)
    # crc32 of the word and of the word as the question's first: fixed, not Python's salted hash()
    assert set(np.flatnonzero(word_features("ai", slots=8))) == {zlib.crc32(b"ai") % 8, zlib.crc32(b"^ai") % 8} \
        == {2, 5}


@pytest.mark.intent_files
def test_a_saved_model_reads_back_the_same(tmp_path):
    model = _model()
    model.save(tmp_path)
    loaded = IntentModel.load(tmp_path)
    reading = loaded.read(np.ones(4, np.float32), "ai ký")
    assert reading.kind == "part"  # the largest bias
    assert reading.asked_fields() == ("signer",) and abs(sum(reading.kinds.values()) - 1) < 1e-6
    assert round(reading.answerable, 3) == 0.881  # sigmoid(2)


@pytest.mark.intent_files
def test_a_damaged_model_says_how_to_remake_it(tmp_path):
    _model().save(tmp_path)
    (tmp_path / "intent_model.npz").write_bytes(b"not numpy")
    with pytest.raises(ModelLoadError, match="hãy chạy lại scripts/train_intent.py$"):
        IntentModel.load(tmp_path)


@pytest.mark.intent_files
def test_weights_that_do_not_fit_the_card_are_refused(tmp_path):
    model = _model()
    model.save(tmp_path)
    card = (tmp_path / "intent_model.json").read_text(encoding="utf-8").replace('"dimension": 4', '"dimension": 5')
    (tmp_path / "intent_model.json").write_text(card, encoding="utf-8")
    with pytest.raises(ModelLoadError, match="weights do not match"):
        IntentModel.load(tmp_path)


def test_an_assistant_refuses_a_classifier_fitted_on_another_encoder(assistant, tmp_path):
    model = _model()
    model = IntentModel(model.kind, model.meta, model.role, model.answerable, model.slots,
                        {**model.card, "embedder": "other"})
    from assistant.engine import Assistant

    with pytest.raises(ModelLoadError, match="huấn luyện trên mô hình other, nhưng trợ lý đang dùng fake"):
        Assistant(assistant.settings, assistant.index, assistant.embedder, intents=model)


TWINS = [
    (("Ai ký kế hoạch của Bắc Giang?", "Who signed the Bac Giang plan?", "ai ki kh BG"), "metadata", "signer"),
    (("Bắc Giang phải báo cáo trước ngày nào?", "When must Bac Giang report?", "han bao cao BG"), "when", None),
    (("Sở nào chủ trì quản lý phóng viên nước ngoài?", "Which department leads the management of foreign "
      "reporters?", "so nao chu tri quan ly PV nuoc ngoai"), "who", None),
]


@pytest.mark.e2e
@pytest.mark.parametrize("wordings, kind, field", TWINS)
def test_the_shipped_classifier_reads_twins_alike(real_assistant, wordings, kind, field):
    for text in wordings:
        intent = real_assistant.understand(text).intent
        assert intent.kind == kind, text
        if field:
            assert intent.meta[0] == field, text

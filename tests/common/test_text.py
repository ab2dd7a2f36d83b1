"""fold() and sort_key() are table-driven for speed; they must give exactly what the
reference algorithms give, including on the characters the tables set aside."""
import random
import unicodedata

from dvk.common.text import (clean, fold, fold_reference, folds_and_sort_keys, sort_key,
                             sort_key_reference)

SAMPLES = [
    "Khéo vận động làm đường giao thông nông thôn", "Nguyễn Văn Tư – gương vận động hiến đất",
    "ĐOÀN THANH NIÊN  xã Đông Hòa", "Mô hình “Dân vận khéo” số 12", "a", "Ă Â Ê Ô Ơ Ư đ Đ",
    "Thắp sáng đường quê 2019-2020", "Ngõ 7/12, ấp Bình An (cũ)", "Hợp tác xã   nông nghiệp",
    "ỹ ỵ ự ữ ử ừ ứ", "", " ", "  leading and trailing  ", "tab\there", "\u00a0nbsp\u00a0x",
    # Set aside by the tables: a lone combining mark, several letters in one character,
    # capital sigma (context-dependent lower case), a base with two marks, emoji.
    "x\u0301 y", "e\u0301 \u0301e", "\u0301lead", "A\u0300\u0323", "ΑΣ ΣΑ", "한국어",
    "İstanbul ß", "mix 中文 and ﬁ ligature", "emoji 😀 ok", "x\u200by", "Ǆ ǅ ǆ", "Å Å",
]
ALPHABET = ("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậéèẻẽẹíìỉĩịóòỏõọớờởỡợúùủũụứừửữựý"
            "ỳỷỹỵ0123456789 -–,.()“”\t\u0301ΣİßǅⅫ😀한")


def _variants():
    rng = random.Random(2026)
    texts = SAMPLES + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 14)))
                       for _ in range(5000)]
    for text in texts:
        yield from (text, clean(text), unicodedata.normalize("NFD", text))


def test_fold_matches_the_reference():
    for text in _variants():
        assert fold(text) == fold_reference(text), repr(text)


def test_sort_key_matches_the_reference():
    for text in _variants():
        assert sort_key(text) == sort_key_reference(text), repr(text)


def test_folds_and_sort_keys_of_many_texts_match_one_by_one():
    texts = list(_variants())
    assert folds_and_sort_keys(texts) == [(fold(t), sort_key(t)) for t in texts]
    # Words shared between texts, the first time in a text that the tables set aside.
    shared = ["e\u0301 hoa", "hoa e\u0301", "ΑΣ hoa", "hoa ΑΣ", "hoa  hoa", "Hoa\u00a0hoa"]
    assert folds_and_sort_keys(shared) == [(fold(t), sort_key(t)) for t in shared]


def test_fold_and_order():
    assert fold("  Hội Nông dân\txã Đông Hòa ") == "hoi nong dan xa dong hoa"
    words = ["Đặng", "Dũng", "an", "Ân", "ăn", "bảo", "Bao"]
    assert sorted(words, key=sort_key) == ["an", "ăn", "Ân", "Bao", "bảo", "Dũng", "Đặng"]


def test_names_inside_a_sentence_keep_vietnamese_case():
    from dvk.common.text import in_sentence

    assert in_sentence("Văn hóa - Xã hội") == "văn hóa - xã hội"
    assert in_sentence("Quốc phòng - An ninh") == "quốc phòng - an ninh"
    assert in_sentence("Xây dựng hệ thống chính trị") == "xây dựng hệ thống chính trị"
    assert in_sentence("Bằng khen của Chủ tịch UBND tỉnh") == "bằng khen của Chủ tịch UBND tỉnh"
    assert in_sentence("Đảng ủy Khối cơ quan") == "Đảng ủy Khối cơ quan"
    assert in_sentence("Báo điện tử") == "báo điện tử" and in_sentence("") == ""

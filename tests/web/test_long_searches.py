"""A search box pasted with 10,000 words (issue 14: a 500 on SQLite, "Expression tree is too
large") is answered like a short search: the first words count (common.text.search_words)."""
import pytest

WORDS = " ".join(["từ"] * 10_000)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/don-vi/", "/mo-hinh/", "/mo-hinh/hang-doi/",
                                  "/mo-hinh-tieu-bieu/"])
def test_a_ten_thousand_word_search_is_answered(client_as, path):
    response = client_as("gq.thuky").get(path, {"q": WORDS})
    assert response.status_code == 200


def test_search_words_keep_the_first_distinct_words():
    from dvk.common.text import SEARCH_WORDS, search_words

    assert search_words("Định  Hòa định hòa Gò Quao") == ["dinh", "hoa", "go", "quao"]
    assert len(search_words(WORDS + " " + " ".join(f"w{i}" for i in range(50)))) <= SEARCH_WORDS

import pytest

from dvk.common.formatting import recognition_rate, vn_int, vn_percent
from dvk.common.text import fold, sort_key


@pytest.mark.django_db
def test_names_are_written_family_name_first(user):
    assert user("dinhhoa.vanthu").get_full_name() == "Huỳnh Thị Mỹ"


def test_vietnamese_numbers_and_rates():
    assert vn_int(7995) == "7.995"
    assert vn_int(1234567) == "1.234.567"
    assert recognition_rate(6360, 7995) == 79.55  # the JSON value (2 decimals)
    # Displays round once from the exact 79,5497…%, never from 79.55 again.
    assert vn_percent(recognition_rate(6360, 7995)) == "79,5%"
    assert vn_percent(recognition_rate(2158, 2692)) == "80,2%"
    assert abs(recognition_rate(6360, 7995).ratio() - 6360 / 7995) < 1e-12
    assert vn_percent(recognition_rate(825, 985)) == "83,8%"
    assert vn_percent(None) == "–"
    assert recognition_rate(1, 0) is None


def test_fold_ignores_accents_case_and_d_stroke():
    assert fold("Hội Nông dân") == "hoi nong dan"
    assert fold("  ĐẢNG   ủy ") == "dang uy"


def test_vietnamese_alphabetical_order():
    names = ["Dương", "Đặng", "Ân", "An", "Ăn", "Bảo"]
    assert sorted(names, key=sort_key) == ["An", "Ăn", "Ân", "Bảo", "Dương", "Đặng"]

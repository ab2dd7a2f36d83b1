"""as_texts (a whole column at once) gives exactly what as_text gives cell by cell."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from dvk.common.tabular import as_text, as_texts

TRICKY = ["", " ", "Khéo vận động", " Khéo", "Khéo ", "Khéo  vận", "Khe\u0301o",  # NFD
          "\u0301đầu", "a\tb", "a\nb", "a\u00a0b", "a\u2003b", "a\x1fb", "a\x0bb",
          "x\x00y", "\x00", "ộ" * 3, "Hội Nông dân", "A\u030a", "\u212b", "ﬁ", "2018",
          "  ", "\x00 ", "Đ"]


@pytest.mark.parametrize("cell", TRICKY)
def test_each_tricky_cell_alone_and_among_clean_ones(cell):
    for column in ([cell], ["Tỉnh", cell, "Cơ sở"], [cell, cell], [cell, "", cell]):
        assert as_texts(column) == [as_text(v) for v in column]


def test_cells_of_a_spreadsheet_are_cleaned_one_by_one():
    column = ["Tỉnh", 2018, 2018.0, None, True, dt.date(2020, 1, 2), " Cơ  sở "]
    assert as_texts(column) == [as_text(v) for v in column] == [
        "Tỉnh", "2018", "2018", "", "True", "02/01/2020", "Cơ sở"]


@given(st.lists(st.text(st.sampled_from("aé\u0301 \t\n\x00\u00a0Đđộ\u1ec7\u0323x"),
                        max_size=8), max_size=6))
def test_any_column_of_text(column):
    assert as_texts(column) == [as_text(v) for v in column]

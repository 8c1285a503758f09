import unicodedata

from nq57lib.core.textnorm import fold, nfc, strip_diacritics


def test_strip_diacritics_keeps_d_bar_as_d():
    assert strip_diacritics("Đảng ủy phường Hồng Bàng") == "Dang uy phuong Hong Bang"


def test_fold_ignores_case_spacing_and_punctuation():
    assert fold("  Tỷ lệ   HỒ SƠ (TTHC)  xử lý trực tuyến ") == "ty le ho so tthc xu ly truc tuyen"


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Quý III năm 2026")
    assert decomposed != "Quý III năm 2026"
    assert nfc(decomposed) == "Quý III năm 2026"

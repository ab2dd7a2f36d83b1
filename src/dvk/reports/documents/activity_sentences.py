"""The report's sentences on the committee's year (seed 004 §II.1–2, §III.5–6), written
from the summary's `activities` block (CONTRACTS §9). Where a figure is missing the
sentence keeps the blank "………" for the secretariat and says the system has no data."""
from __future__ import annotations

from dvk.common.formatting import vn_int
from dvk.common.text import in_sentence

NO_DATA = "chưa có số liệu {what} trong hệ thống"


def _missing(what: str) -> str:
    return " (" + NO_DATA.format(what=what) + ")"


def training_sentence(a: dict, blank: str) -> str:
    t = a["training"]
    classes, people, note = vn_int(t["classes"]), vn_int(t["attendances"]), ""
    if not t["classes"]:
        classes, people, note = blank, blank, _missing("tập huấn")
    return (f"Ban Chỉ đạo phối hợp tổ chức {classes} lớp tập huấn hướng dẫn nội dung, phương "
            f"thức thực hiện Phong trào thi đua và xây dựng mô hình, điển hình “Dân vận khéo”, "
            f"có {people} lượt cán bộ tập huấn{note}.")


def inspections_sentence(a: dict, blank: str) -> str:
    i = a["inspections"]
    if i["units_visited"]:
        forms = ", ".join(f"{in_sentence(label)} {vn_int(n)}" for label, n in i["by_form"].items() if n)
        text = (f"Ban Chỉ đạo tổ chức {vn_int(i['rounds'])} cuộc kiểm tra, khảo sát trực tiếp "
                f"{vn_int(i['units_visited'])} lượt ban chỉ đạo, cơ quan, đơn vị ({forms})")
    else:
        text = (f"Ban Chỉ đạo tổ chức {blank} cuộc kiểm tra, khảo sát đối với {blank} ban chỉ "
                f"đạo, cơ quan, đơn vị{_missing('kiểm tra, khảo sát')}")
    teams = a["appraisal_teams"]
    return text + (f"; ban chỉ đạo các cấp thành lập {vn_int(teams)} tổ thẩm định." if teams else
                   f"; thành lập {blank} tổ thẩm định{_missing('tổ thẩm định')}.")


def press_sentence(a: dict, blank: str, prize_level: str) -> str:
    p = a["press"]
    if not p["entries"]:
        return (f"Kết quả có {blank} tác phẩm dự thi (báo in {blank}, báo hình {blank}, báo nói "
                f"{blank}, báo điện tử {blank}); trong đó có {blank} tác phẩm đủ điều kiện dự "
                f"thi cấp toàn quốc, {blank} tác phẩm được vào vòng chung kết; {blank} tác phẩm "
                f"đạt giải cấp {prize_level}{_missing('cuộc thi báo chí')}.")
    genres = ", ".join(f"{in_sentence(label)} {vn_int(n)}" for label, n in p["by_genre"].items() if n)
    return (f"Kết quả có {vn_int(p['entries'])} tác phẩm dự thi ({genres}); trong đó có "
            f"{vn_int(p['national_eligible'])} tác phẩm đủ điều kiện dự thi cấp toàn quốc, "
            f"{vn_int(p['national_finalists'])} tác phẩm được vào vòng chung kết; "
            f"{vn_int(p['provincial_prizes'])} tác phẩm đạt giải cấp {prize_level}.")


def review_sentences(a: dict, blank: str) -> list[str]:
    out = []
    for r in a["reviews"]:
        kind = in_sentence(r["kind"])
        if not r["expected"] and not r["held"]:
            continue
        if not r["held"]:
            out.append(f"Về {kind}: {blank}/{vn_int(r['expected'])} đơn vị trực thuộc tổ chức "
                       f"{kind}{_missing(kind)}.")
            continue
        text = (f"Về {kind}: có {vn_int(r['conference'])}/{vn_int(r['expected'])} đơn vị trực "
                f"thuộc tổ chức hội nghị {kind}")
        if r["reported_only"]:
            text += (f", riêng {', '.join(r['reported_only'])} báo cáo {kind} (không tổ chức "
                     "hội nghị)")
        if r["held"] > r["expected"]:
            text += (f"; số đơn vị ghi nhận đã {kind} ({vn_int(r['held'])}) nhiều hơn số đơn vị "
                     f"có ban chỉ đạo ({vn_int(r['expected'])}), cần rà soát số liệu")
        out.append(text + ".")
    return out

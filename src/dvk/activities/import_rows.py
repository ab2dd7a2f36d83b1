"""The rows of an activities file (CONTRACTS §7), one class per kind: its columns, the
check of one row (every problem named by row and column), the checks across rows
(repeated identities, a round's rows that disagree) and the writing.

Identities (what makes a row the same row on re-import): training (Mã đơn vị, Ngày,
Tên lớp); inspections (Mã đợt, Mã đơn vị được kiểm tra); press (Tên tác phẩm, Tác giả,
Năm). Text is compared folded (case and accents ignored), as the models' `*_key`.
"""
from __future__ import annotations

import datetime as dt

from dvk.common.history import diff
from dvk.common.tabular import Column, as_int, as_text, choice
from dvk.common.text import fold
from dvk.initiatives.models import Initiative
from dvk.orgs.models import Unit
from dvk.orgs.scope import units_for
from dvk.orgs.structure_file import parse_date

from .enums import FORM_FILE_LABELS, GENRE_FILE_LABELS, FollowUp
from .models import KEY_MAX, InspectionRound, InspectionVisit, PressEntry, TrainingClass

UNIT, DATE = "Mã đơn vị", "Ngày"
YES = {"x": True, "có": True, "co": True}


def _accepted(labels) -> str:
    return ", ".join(f"«{x}»" for x in labels)


class _Rows:
    """What every kind shares: units of the scope, dates and years of the phase."""

    COLUMNS: list[Column] = []

    def __init__(self, phase, scope, problems):
        self.phase, self.scope, self.problems = phase, scope, problems
        self._units: dict[str, Unit] | None = None

    def add(self, line, column, message):
        self.problems.add(line, column, message)

    @property
    def units(self) -> dict[str, Unit]:
        if self._units is None:  # one read: a file names a few hundred units at most
            self._units = {u.code: u for u in units_for(self.scope).only("pk", "code", "path",
                                                                         "name")}
        return self._units

    def unit(self, line, raw, column, *, required=True, default=None) -> Unit | None | bool:
        """The unit a cell names; False after a problem."""
        code = as_text(raw.get(column))
        if not code:
            if required:
                self.add(line, column, "thiếu mã đơn vị.")
                return False
            return default
        unit = self.units.get(code)
        if unit is None:
            self.add(line, column, f"không có đơn vị mã «{code}» trong phạm vi đơn vị của bạn.")
            return False
        return unit

    def date(self, line, raw, column=DATE) -> dt.date | None:
        value = raw.get(column)
        text = as_text(value)
        if not text:
            self.add(line, column, "thiếu ngày (dd/mm/yyyy).")
            return None
        day = parse_date(value)
        if day is None:
            self.add(line, column, f"«{text}» không phải ngày hợp lệ; ghi theo dạng dd/mm/yyyy.")
            return None
        if day.year not in self.phase.years:
            self.add(line, column, f"ngày {day:%d/%m/%Y} không thuộc giai đoạn {self.phase.code}.")
            return None
        return day

    def text(self, line, raw, column, *, required=False, what="", max_length=255) -> str | None:
        value = as_text(raw.get(column))
        if required and not value:
            self.add(line, column, f"thiếu {what}.")
            return None
        if len(value) > max_length:
            self.add(line, column, f"dài {len(value)} ký tự, vượt giới hạn {max_length} ký tự.")
            return None
        return value

    def repeated(self, rows, key_of, columns: str):
        """A problem for each row whose identity an earlier row of the file already has."""
        seen: dict = {}
        for row in rows:
            key = key_of(row)
            if key in seen:
                self.add(row["line"], None, f"trùng với dòng {seen[key]} ({columns}).")
            else:
                seen[key] = row["line"]

    def check_file(self, rows) -> None:
        pass

    @staticmethod
    def apply(obj, values: dict) -> dict:
        """Set `values` on an existing object; the {field: [old, new]} that changed."""
        before = {k: getattr(obj, k) for k in values}
        changes = diff(before, values)
        for k, v in values.items():
            setattr(obj, k, v)
        return changes


class Training(_Rows):
    NAME, AUDIENCE, COUNT = "Tên lớp", "Đối tượng", "Số lượt tham dự"
    COLUMNS = [Column(UNIT, required=True, max_length=64), Column(DATE, required=True),
               Column(NAME, required=True, max_length=KEY_MAX),
               Column(AUDIENCE, max_length=255), Column(COUNT, required=True)]

    def check(self, line, raw):
        unit = self.unit(line, raw, UNIT)
        day = self.date(line, raw)
        name = self.text(line, raw, self.NAME, required=True, what="tên lớp")
        audience = self.text(line, raw, self.AUDIENCE)
        count_text = as_text(raw.get(self.COUNT))
        count = as_int(raw.get(self.COUNT))
        if not count_text:
            self.add(line, self.COUNT, "thiếu số lượt tham dự.")
        elif count is None or count < 0:
            self.add(line, self.COUNT, f"«{count_text}» không phải số nguyên không âm.")
            count = None
        if not unit or day is None or not name or audience is None or count is None:
            return None
        return {"line": line, "unit": unit, "date": day, "name": name, "audience": audience,
                "attendances": count}

    def check_file(self, rows):
        self.repeated(rows, lambda r: (r["unit"].pk, r["date"], fold(r["name"])),
                      "cùng đơn vị, ngày và tên lớp")

    def write(self, rows, *, batch, user):
        # The rows' units were found in the importer's scope; their classes are matched again.
        existing = {(t.unit_id, t.date, t.name_key): t for t in TrainingClass.objects.unscoped(
            "the classes of the rows' units, checked in scope").filter(
            unit_id__in={r["unit"].pk for r in rows}, date__year__in=list(self.phase.years))}
        new, changed = [], []
        for r in rows:
            key = (r["unit"].pk, r["date"], fold(r["name"])[:KEY_MAX])
            old = existing.get(key)
            if old is None:
                obj = TrainingClass(phase=self.phase, unit=r["unit"], date=r["date"],
                                    name=r["name"], audience=r["audience"],
                                    attendances=r["attendances"], created_by=user,
                                    import_batch=batch)
                obj.fill()
                new.append(obj)
                continue
            changes = self.apply(old, {"attendances": r["attendances"],
                                       **({"audience": r["audience"]} if r["audience"] else {})})
            if changes:
                old.save()
                changed.append((old, changes))
        TrainingClass.objects.bulk_create(new, batch_size=1000)
        return len(new), changed


class Inspections(_Rows):
    CODE, HOST, FORM, VISITED, CONCLUSION = ("Mã đợt", "Mã đơn vị chủ trì", "Hình thức",
                                             "Mã đơn vị được kiểm tra", "Kết luận")
    COLUMNS = [Column(CODE, required=True, max_length=64), Column(HOST, required=True, max_length=64),
               Column(FORM, required=True), Column(DATE, required=True),
               Column(VISITED, required=True, max_length=64), Column(CONCLUSION, max_length=20000)]

    def check(self, line, raw):
        code = self.text(line, raw, self.CODE, required=True, what="mã đợt", max_length=64)
        host = self.unit(line, raw, self.HOST)
        form_text = as_text(raw.get(self.FORM))
        form = choice(form_text, FORM_FILE_LABELS)
        if form is None:
            self.add(line, self.FORM, (f"«{form_text}» không phải hình thức hợp lệ; " if form_text
                                       else "thiếu hình thức; ")
                     + f"chọn một trong {_accepted(FORM_FILE_LABELS)}.")
        day = self.date(line, raw)
        visited = self.unit(line, raw, self.VISITED)
        conclusion = self.text(line, raw, self.CONCLUSION, max_length=20000)
        if host and visited and not visited.path.startswith(host.path):
            self.add(line, self.VISITED, f"đơn vị «{visited.code}» không thuộc phạm vi của "
                                         f"đơn vị chủ trì «{host.code}».")
            visited = False
        if not code or not host or form is None or day is None or not visited \
                or conclusion is None:
            return None
        return {"line": line, "code": code, "host": host, "form": form, "date": day,
                "unit": visited, "conclusion": conclusion}

    def check_file(self, rows):
        self.repeated(rows, lambda r: (fold(r["code"]), r["unit"].pk),
                      "cùng mã đợt và đơn vị được kiểm tra")
        first: dict[str, dict] = {}
        known = {fold(r.code): r for r in InspectionRound.objects.unscoped(
            "rounds of the phase with the file's codes, to check they agree").filter(
            phase=self.phase, code__in={r["code"] for r in rows})}
        for r in rows:
            key = fold(r["code"])
            ref = first.setdefault(key, r)
            old = known.get(key)
            if ref is not r:
                if ref["host"].pk != r["host"].pk:
                    self.add(r["line"], self.HOST, f"đợt «{r['code']}» đã có đơn vị chủ trì "
                                                   f"«{ref['host'].code}» ở dòng {ref['line']}.")
                if ref["form"] != r["form"]:
                    self.add(r["line"], self.FORM, f"đợt «{r['code']}» đã có hình thức khác ở "
                                                   f"dòng {ref['line']}.")
            elif old is not None and (old.unit_id != r["host"].pk or old.form != r["form"]):
                self.add(r["line"], self.CODE, f"đợt «{r['code']}» đã có trong giai đoạn "
                                               f"{self.phase.code} với đơn vị chủ trì hoặc hình "
                                               "thức khác.")
        self.rounds = known

    def write(self, rows, *, batch, user):
        created, changed = 0, []
        by_code: dict[str, list[dict]] = {}
        for r in rows:
            by_code.setdefault(fold(r["code"]), []).append(r)
        for key, group in by_code.items():
            rnd = self.rounds.get(key)
            if rnd is None:
                dates = [r["date"] for r in group]
                rnd = InspectionRound.objects.create(
                    phase=self.phase, unit=group[0]["host"], code=group[0]["code"],
                    form=group[0]["form"], start_date=min(dates), end_date=max(dates),
                    created_by=user, import_batch=batch)
                created += 0  # a round is counted through its visits (rows)
            visits = {v.unit_id: v for v in rnd.visits.all()}
            new = []
            for r in group:
                old = visits.get(r["unit"].pk)
                if old is None:
                    v = InspectionVisit(round=rnd, unit=r["unit"], date=r["date"],
                                        findings=r["conclusion"], import_batch=batch,
                                        status=FollowUp.CLOSED if r["conclusion"] else
                                        FollowUp.OPEN)
                    v.fill()
                    new.append(v)
                    continue
                changes = self.apply(old, {"date": r["date"],
                                           **({"findings": r["conclusion"]}
                                              if r["conclusion"] else {})})
                if changes:
                    old.save()
                    changed.append((old, changes))
            InspectionVisit.objects.bulk_create(new)
            created += len(new)
        return created, changed


class Press(_Rows):
    TITLE, AUTHOR, OUTLET, GENRE, YEAR = ("Tên tác phẩm", "Tác giả", "Cơ quan báo chí",
                                          "Thể loại", "Năm")
    ELIGIBLE, FINALIST, PRIZE, MODEL = ("Đủ điều kiện dự thi toàn quốc", "Vào chung kết",
                                        "Giải cấp tỉnh", "Mã mô hình")
    COLUMNS = [Column(TITLE, required=True, max_length=KEY_MAX),
               Column(AUTHOR, required=True, max_length=KEY_MAX), Column(OUTLET, max_length=255),
               Column(GENRE, required=True), Column(YEAR, required=True), Column(ELIGIBLE),
               Column(FINALIST), Column(PRIZE, max_length=64), Column(MODEL, max_length=64),
               Column(UNIT, max_length=64)]

    def flag(self, line, raw, column) -> bool | None:
        text = as_text(raw.get(column))
        if not text:
            return False
        if fold(text) in YES:
            return True
        self.add(line, column, f"«{text}» không hợp lệ; ghi «x» hoặc «Có», hoặc để trống.")
        return None

    def check(self, line, raw):
        title = self.text(line, raw, self.TITLE, required=True, what="tên tác phẩm")
        author = self.text(line, raw, self.AUTHOR, required=True, what="tác giả")
        outlet = self.text(line, raw, self.OUTLET)
        genre_text = as_text(raw.get(self.GENRE))
        genre = choice(genre_text, GENRE_FILE_LABELS)
        if genre is None:
            self.add(line, self.GENRE, (f"«{genre_text}» không phải thể loại hợp lệ; "
                                        if genre_text else "thiếu thể loại; ")
                     + f"chọn một trong {_accepted(GENRE_FILE_LABELS)}.")
        year_text = as_text(raw.get(self.YEAR))
        year = as_int(raw.get(self.YEAR))
        if not year_text:
            self.add(line, self.YEAR, "thiếu năm.")
        elif year is None:
            self.add(line, self.YEAR, f"«{year_text}» không phải năm hợp lệ.")
        elif year not in self.phase.years:
            self.add(line, self.YEAR, f"năm {year} không thuộc giai đoạn {self.phase.code}.")
            year = None
        eligible = self.flag(line, raw, self.ELIGIBLE)
        finalist = self.flag(line, raw, self.FINALIST)
        prize = self.text(line, raw, self.PRIZE, max_length=64)
        model_code = as_text(raw.get(self.MODEL))
        initiative = None
        if model_code:
            initiative = self.initiatives().get(model_code)
            if initiative is None:
                self.add(line, self.MODEL, f"không có mô hình mã «{model_code}» trong phạm vi "
                                           "đơn vị của bạn.")
                initiative = False
        unit = self.unit(line, raw, UNIT, required=False, default=self.scope.root())
        if not title or not author or outlet is None or genre is None or year is None \
                or eligible is None or finalist is None or prize is None \
                or initiative is False or not unit:
            return None
        return {"line": line, "title": title, "author": author, "outlet": outlet,
                "genre": genre, "year": year, "eligible": eligible, "finalist": finalist,
                "prize": prize, "initiative": initiative, "unit": unit}

    def initiatives(self) -> dict[str, int]:
        if not hasattr(self, "_initiatives"):
            # The models a press entry may name: those of the importer's subtree.
            self._initiatives = dict(Initiative.objects.within(self.scope).exclude(
                code__isnull=True).values_list("code", "pk"))
        return self._initiatives

    @staticmethod
    def key(r) -> tuple:
        return (fold(r["title"])[:KEY_MAX], fold(r["author"])[:KEY_MAX], r["year"])

    def check_file(self, rows):
        self.repeated(rows, self.key, "cùng tên tác phẩm, tác giả và năm")

    def write(self, rows, *, batch, user):
        existing = {(e.title_key, e.author_key, e.year): e for e in PressEntry.objects.unscoped(
            "entries with the file's titles, matched by their identity").filter(
            title_key__in={self.key(r)[0] for r in rows}, year__in=list(self.phase.years))}
        new, changed = [], []
        for r in rows:
            values = {"outlet": r["outlet"], "genre": r["genre"],
                      "national_eligible": r["eligible"], "national_finalist": r["finalist"],
                      "provincial_prize": r["prize"], "initiative_id": r["initiative"],
                      "unit_id": r["unit"].pk}
            old = existing.get(self.key(r))
            if old is None:
                obj = PressEntry(phase=self.phase, title=r["title"], author=r["author"],
                                 year=r["year"], created_by=user, import_batch=batch, **values)
                obj.fill()
                new.append(obj)
                continue
            changes = self.apply(old, values)
            if changes:
                old.save()
                changed.append((old, changes))
        PressEntry.objects.bulk_create(new, batch_size=1000)
        return len(new), changed

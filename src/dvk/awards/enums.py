"""The choices of the awards app: who issues a kind, at which level, to whom, on what occasion.

Seed 003 §III: a model of a level is proposed by that level's committee to the Party
committee of the same level (giấy khen); the province's models get bằng khen from the
provincial People's Committee on the committee's proposal; cờ thi đua goes to collectives.
Levels are data per phase, so a kind names a *tier* of the phase's levels, not a level.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee of the same level")
    PEOPLES_COMMITTEE = "peoples_committee", _("Provincial People's Committee")


class GivenAt(models.TextChoices):
    ANY = "any", _("Every level")
    BELOW_TOP = "below_top", _("Every level below the province")
    TOP = "top", _("The provincial level")


class RecipientType(models.TextChoices):
    MODEL = "model", _("Model")
    UNIT = "unit", _("Unit")
    PERSON = "person", _("Person")


class Occasion(models.TextChoices):
    COMMEMORATION = "commemoration", _("15/10 commendation")
    INTERIM = "interim", _("Interim review")
    FINAL = "final", _("Final review")
    AD_HOC = "ad_hoc", _("Ad hoc")


#: The occasions' names in the summary JSON and in files: fixed Vietnamese, whatever the
#: UI language (like the level and kind names there).
OCCASION_NAMES = {
    Occasion.COMMEMORATION: "Biểu dương 15/10",
    Occasion.INTERIM: "Sơ kết",
    Occasion.FINAL: "Tổng kết",
    Occasion.AD_HOC: "Đột xuất",
}
OCCASION_ORDER = {o: i for i, o in enumerate(Occasion)}

#: A review happens once per phase; the other occasions once per year.
ONCE_PER_PHASE = (Occasion.INTERIM, Occasion.FINAL)


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    DECIDED = "decided", _("Decided")

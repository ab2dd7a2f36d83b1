from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    GRASSROOTS = "grassroots", _("Grassroots")
    BELOW = "below", _("Below grassroots")


# The labels files use (CONTRACTS §3); fixed Vietnamese regardless of UI language.
UNIT_KIND_FILE_LABELS = {
    "Tỉnh": UnitKind.PROVINCE,
    "Huyện": UnitKind.DISTRICT,
    "Cơ sở": UnitKind.GRASSROOTS,
    "Dưới cơ sở": UnitKind.BELOW,
}


class Role(models.TextChoices):
    CLERK = "clerk", _("Unit clerk")
    SECRETARIAT = "secretariat", _("Committee secretariat")
    APPRAISER = "appraiser", _("Appraiser")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("System administrator")


# The labels of the users file (CONTRACTS §8); fixed Vietnamese regardless of UI language.
ROLE_FILE_LABELS = {
    "Văn thư": Role.CLERK,
    "Thư ký": Role.SECRETARIAT,
    "Thẩm định": Role.APPRAISER,
    "Lãnh đạo": Role.LEADER,
    "Quản trị": Role.ADMIN,
}


class UnitEventKind(models.TextChoices):
    CREATE = "create", _("Created")
    RENAME = "rename", _("Renamed")
    MOVE = "move", _("Moved")
    MERGE = "merge", _("Merged")
    SPLIT = "split", _("Split")
    DISSOLVE = "dissolve", _("Dissolved")

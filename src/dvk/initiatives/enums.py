from django.db import models
from django.utils.translation import gettext_lazy as _


class InitiativeKind(models.TextChoices):
    COLLECTIVE = "collective", _("Model")        # mô hình (a collective's)
    INDIVIDUAL = "individual", _("Exemplar")     # điển hình (a person's)


INITIATIVE_KIND_FILE_LABELS = {"Mô hình": InitiativeKind.COLLECTIVE,
                               "Điển hình": InitiativeKind.INDIVIDUAL}


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    REPORTED = "reported", _("Achievement reported")
    APPRAISED = "appraised", _("Appraised")
    RECOGNIZED = "recognized", _("Recognised")
    NOT_RECOGNIZED = "not_recognized", _("Not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Named groups used by queues and statistics.
NOT_REGISTERED = (State.DRAFT, State.WITHDRAWN)       # never count as registered
REGISTERED = tuple(s for s in State if s not in NOT_REGISTERED)
DECIDED = (State.RECOGNIZED, State.NOT_RECOGNIZED)
OPEN = (State.SUBMITTED, State.RETURNED, State.ACCEPTED, State.REPORTED, State.APPRAISED)

RESULT_FILE_LABELS = {"Công nhận": State.RECOGNIZED, "Không công nhận": State.NOT_RECOGNIZED}


class ExceptionalStatus(models.TextChoices):
    NONE = "", _("Not exceptional")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AppraisalStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Conclusion(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend recognition")
    NOT_RECOMMEND = "not_recommend", _("Do not recommend recognition")


class ConflictStatus(models.TextChoices):
    NONE = "", _("No conflict declared")
    PENDING = "pending", _("Awaiting the secretariat's ruling")
    ACCEPTED = "accepted", _("Allowed to appraise")
    REFUSED = "refused", _("Recused")


# Appraisal rubric: five criteria scored 0–10 each (total out of 50), after seed 003 §II.
RUBRIC = ("effectiveness", "replicability", "participation", "creativity", "difficulty")
RUBRIC_MAX = 10

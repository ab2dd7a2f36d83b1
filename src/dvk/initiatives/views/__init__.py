"""Screens of the annual cycle: unit clerks, the committee's secretariat, appraisers, everyone.

Views read through the visibility functions and act through services/workflow: they
validate forms, call one domain function, and show its Vietnamese message when it refuses.
One module per audience; urls.py names them through this package.
"""
from .browse import (initiative_detail, registration_detail, registrations)
from .registering import (attachment, edit, register, replicate_search, report, similar, submit,
                          upload_attachment, withdraw)
from .queue import (accept, approve_exceptional, assign, bulk, promote, queue, queue_overdue,
                    return_to_unit, rule_conflict)
from .appraisals import (appraisal, assigned, declare_conflict)
from .decisions import decide, decision_detail

__all__ = [
    "initiative_detail", "registration_detail", "registrations", "attachment", "edit",
    "register", "replicate_search", "report", "similar", "submit", "upload_attachment",
    "withdraw", "accept", "approve_exceptional", "assign", "bulk", "promote", "queue",
    "queue_overdue", "return_to_unit", "rule_conflict", "appraisal", "assigned",
    "declare_conflict", "decide", "decision_detail",
]

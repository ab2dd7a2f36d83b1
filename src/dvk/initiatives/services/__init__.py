"""The annual cycle as plain functions: register, submit, accept/return, report, appraise,
decide, promote; attachments and replication. Every write validates, runs in a transaction
and leaves a history entry. State changes go through workflow.transition().

Messages are Vietnamese (officials read them) and raised as TransitionRefused. One module
per concept; callers use this package (`services.accept(…)`).
"""
from .initiatives import (INITIATIVE_FIELDS, REPLICATES_REFUSED, create_initiative,
                          replication_count, replication_counts, replications_of, update_initiative)
from .registrations import (EDITABLE, EDIT_CONFLICT, NO_TARGETS, accept, approve_exceptional,
                            is_late, register, registration_deadline, report_achievement,
                            report_sent_back, return_report, return_to_unit, send_back, submit,
                            update_registration, withdraw)
from .appraisals import (appraisal_summary, assign_appraisal, complete_appraisal, declare_conflict,
                         is_own_unit, rule_on_conflict, save_appraisal)
from .decisions import (decide, promotion_eligible, propose_promotion)
from .attachments import (ACCEPTED_TYPES, add_attachment, sniff)

__all__ = [
    "INITIATIVE_FIELDS", "REPLICATES_REFUSED", "create_initiative", "replication_count",
    "replication_counts", "replications_of", "update_initiative", "EDITABLE", "EDIT_CONFLICT",
    "NO_TARGETS", "accept", "approve_exceptional", "is_late", "register",
    "registration_deadline", "report_achievement", "report_sent_back", "return_report",
    "return_to_unit", "send_back", "submit", "update_registration", "withdraw",
    "appraisal_summary", "assign_appraisal", "complete_appraisal", "declare_conflict",
    "is_own_unit", "rule_on_conflict", "save_appraisal", "decide", "promotion_eligible",
    "propose_promotion", "ACCEPTED_TYPES", "add_attachment", "sniff"
]

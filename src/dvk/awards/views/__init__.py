"""The awards screens: lists (awards, proposals, a decision) and the proposal's steps."""
from .lists import award_decision, awards, proposals
from .steps import (proposal_add, proposal_create, proposal_decide, proposal_detail,
                        proposal_remove, proposal_send)

__all__ = ["award_decision", "awards", "proposals", "proposal_add", "proposal_create",
           "proposal_decide", "proposal_detail", "proposal_remove", "proposal_send"]

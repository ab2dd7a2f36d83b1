"""The rule book of documents: the document profiles (header texts, signer titles, number
patterns, body names by date) apply to every unit's documents, so only the system
administrator edits them."""
from __future__ import annotations

from dvk.common.rules import Refusal, rule


@rule("documents.profile.edit", new_work=True)
def can_edit_profiles(scope) -> Refusal | None:
    from dvk.orgs.rules import system_admin

    return system_admin(scope)

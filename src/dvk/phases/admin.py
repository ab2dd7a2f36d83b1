"""Admin for phases and their levels (superusers), and for steering committees and appraisal
teams (a unit's administrator: within the subtree)."""
from django.contrib import admin

from dvk.orgs.admin_scope import (AdminScope, CatalogAdmin, CatalogInline, SubtreeAdmin,
                                  SubtreeInline, restrict_choices)

from .models import (AppraisalTeam, AppraisalTeamMember, CommitteeMember, Level, Phase, PilotUnit,
                     SteeringCommittee)
from .queries import committees_for, teams_for

# A unit admin's forms offer only the committees and teams of their subtree.
restrict_choices(SteeringCommittee, committees_for)
restrict_choices(AppraisalTeam, teams_for)


class LevelInline(CatalogInline):
    model = Level


class PilotUnitInline(CatalogInline):
    model = PilotUnit
    raw_id_fields = ["unit"]


@admin.register(Phase)
class PhaseAdmin(CatalogAdmin):
    list_display = ["code", "name", "start_year", "end_year", "promotion_rule"]
    inlines = [LevelInline, PilotUnitInline]


class CommitteeMemberInline(SubtreeInline):
    model = CommitteeMember
    raw_id_fields = ["user"]


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(SubtreeAdmin):
    list_display = ["name", "unit", "phase", "decision_number", "decision_date"]
    list_filter = ["phase"]
    search_fields = ["name", "unit__code", "unit__name", "decision_number"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit", "phase"]
    inlines = [CommitteeMemberInline]

    def visible(self, adm: AdminScope):
        return adm.union(committees_for, SteeringCommittee)


class AppraisalTeamMemberInline(SubtreeInline):
    model = AppraisalTeamMember
    raw_id_fields = ["user"]


@admin.register(AppraisalTeam)
class AppraisalTeamAdmin(SubtreeAdmin):
    list_display = ["name", "committee", "year"]
    list_filter = ["committee__phase", "year"]
    search_fields = ["name", "committee__name", "committee__unit__code"]
    raw_id_fields = ["committee"]
    list_select_related = ["committee"]
    inlines = [AppraisalTeamMemberInline]

    def visible(self, adm: AdminScope):
        return adm.union(teams_for, AppraisalTeam)

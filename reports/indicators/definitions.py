"""The indicator register: every programme figure defined once, as data.

An :class:`Indicator` says what a figure means (name, plain definition, numerator,
denominator), how it is shown (unit, decimals) and how it meets a period (``period_rule``)
and which breakdowns it supports. ``compute.py`` holds the one piece of code computing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from enterprises.selectors.kpi import HEADLINES

# Units
COUNT = "count"
PERCENT = "percent"  # a share 0..1, printed as a percentage
MONEY = "money"  # {currency: amount}; currencies are never added up
RATIO = "ratio"

# Period rules
IN_PERIOD = "in_period"  # what happened between the period's first and last day
CUMULATIVE = "cumulative"  # everything up to the period's last day
AS_OF = "as_of"  # the standing on a date (the period's last day, or today)

PERIOD_RULES = {
    IN_PERIOD: _("In the period: what happened between its first and last day."),
    CUMULATIVE: _("Cumulative: everything up to the period's last day."),
    AS_OF: _("As of a date: the standing on the period's last day (or today)."),
}
UNITS = {
    COUNT: _("count"),
    PERCENT: _("percent"),
    MONEY: _("money, per currency"),
    RATIO: _("ratio"),
}
DISAGGREGATIONS = {
    "partner": _("partner"),
    "module": _("module"),
    "currency": _("currency"),
    "sex": _("sex"),
}

# Sets of indicators.
ENTERPRISES = "enterprises"
TRAINING = "training"
CONSULTING = "consulting"
TRAINERS = "trainers"
FINANCE = "finance"
RESULTS = "results"
EIT = "eit"
GROUPS = {
    ENTERPRISES: _("Enterprises"),
    TRAINING: _("Training"),
    CONSULTING: _("Consulting"),
    TRAINERS: _("Trainers"),
    FINANCE: _("Cost recovery"),
    RESULTS: _("Results"),
    EIT: _("Enterprise Improvement Teams"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object
    group: str
    definition: object
    numerator: object
    denominator: object = ""
    unit: str = COUNT
    decimals: int = 0
    period_rule: str = IN_PERIOD
    by: tuple[str, ...] = ("partner",)
    list_url: str = ""  # the list behind the figure: a URL name
    list_query: dict = field(default_factory=dict)

    @property
    def is_share(self) -> bool:
        return self.unit == PERCENT

    def period_rule_text(self):
        return PERIOD_RULES[self.period_rule]

    def unit_text(self):
        return UNITS[self.unit]


REACHED = _(
    "An enterprise is reached in a period when one of its enrolments meets the period "
    "(applied on or before its last day, not completed or withdrawn before its first day)."
)

INDICATORS: list[Indicator] = [
    Indicator(
        code="enterprises_reached",
        name=_("Enterprises reached"),
        group=ENTERPRISES,
        definition=REACHED,
        numerator=_("Enterprises with an enrolment meeting the period"),
        period_rule=IN_PERIOD,
        list_url="enterprises:list",
    ),
    Indicator(
        code="enterprises_active",
        name=_("Active enterprises (now)"),
        group=ENTERPRISES,
        definition=_("Enterprises whose status is active today (current standing)."),
        numerator=_("Enterprises with status active"),
        period_rule=AS_OF,
        list_url="enterprises:list",
        list_query={"status": "active"},
    ),
    Indicator(
        code="enterprises_registered",
        name=_("Enterprises registered (now)"),
        group=ENTERPRISES,
        definition=_("Every enterprise registered for the partner, whatever its status."),
        numerator=_("Enterprises registered"),
        period_rule=AS_OF,
        list_url="enterprises:list",
    ),
    Indicator(
        code="enterprises_prospect",
        name=_("Prospect enterprises (now)"),
        group=ENTERPRISES,
        definition=_("Enterprises whose status is prospect today (current standing)."),
        numerator=_("Enterprises with status prospect"),
        period_rule=AS_OF,
        list_url="enterprises:list",
        list_query={"status": "prospect"},
    ),
    Indicator(
        code="enterprises_completed",
        name=_("Completed enterprises (now)"),
        group=ENTERPRISES,
        definition=_("Enterprises whose status is completed today (current standing)."),
        numerator=_("Enterprises with status completed"),
        period_rule=AS_OF,
        list_url="enterprises:list",
        list_query={"status": "completed"},
    ),
    Indicator(
        code="enterprises_withdrawn",
        name=_("Withdrawn enterprises (now)"),
        group=ENTERPRISES,
        definition=_("Enterprises whose status is withdrawn today (current standing)."),
        numerator=_("Enterprises with status withdrawn"),
        period_rule=AS_OF,
        list_url="enterprises:list",
        list_query={"status": "withdrawn"},
    ),
    Indicator(
        code="enterprises_enrolled",
        name=_("Enterprises enrolled"),
        group=ENTERPRISES,
        definition=_(
            "Enterprises with an enrolment meeting the period that is enrolled, in training, "
            "in consulting or completed (applications and withdrawals are not counted)."
        ),
        numerator=_("Enterprises with such an enrolment (per module: in that module)"),
        by=("partner", "module"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="enterprises_trained",
        name=_("Enterprises trained"),
        group=ENTERPRISES,
        definition=_(
            "Enterprises with an enrolment meeting the period whose classroom part is done "
            "(in consulting or completed)."
        ),
        numerator=_("Enterprises with an enrolment in consulting or completed"),
        by=("partner", "module"),
        list_url="enterprises:list",
        list_query={"enrolment_status": "trained"},
    ),
    Indicator(
        code="jobs",
        name=_("Jobs in enterprises reached"),
        group=ENTERPRISES,
        definition=_("Employees of the enterprises reached in the period, as last recorded."),
        numerator=_("Sum of employees of the enterprises reached"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="jobs_women",
        name=_("Women's jobs in enterprises reached"),
        group=ENTERPRISES,
        definition=_("Women employees of the enterprises reached in the period."),
        numerator=_("Sum of women employees of the enterprises reached"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="workshops_held",
        name=_("Workshops held"),
        group=TRAINING,
        definition=_("Workshops with status held whose first day falls in the period."),
        numerator=_("Held workshops starting in the period"),
        by=("partner", "module"),
        list_url="workshops:list",
        list_query={"when": "past"},
    ),
    Indicator(
        code="participants",
        name=_("Participants"),
        group=TRAINING,
        definition=_("People registered in the held workshops of the period."),
        numerator=_("Participants of held workshops starting in the period"),
        by=("partner", "module", "sex"),
        list_url="workshops:list",
        list_query={"when": "past"},
    ),
    Indicator(
        code="participants_women",
        name=_("Participants: women"),
        group=TRAINING,
        definition=_("Women among the participants of the held workshops of the period."),
        numerator=_("Participants recorded as female"),
        by=("partner", "module"),
        list_url="workshops:list",
        list_query={"when": "past"},
    ),
    Indicator(
        code="participants_men",
        name=_("Participants: men"),
        group=TRAINING,
        definition=_("Men among the participants of the held workshops of the period."),
        numerator=_("Participants recorded as male"),
        by=("partner", "module"),
        list_url="workshops:list",
        list_query={"when": "past"},
    ),
    Indicator(
        code="participants_managers",
        name=_("Participants: managers"),
        group=TRAINING,
        definition=_("Managers among the participants of the held workshops of the period."),
        numerator=_("Participants recorded as managers"),
        by=("partner", "module"),
        list_url="workshops:list",
        list_query={"when": "past"},
    ),
    Indicator(
        code="participants_workers",
        name=_("Participants: workers"),
        group=TRAINING,
        definition=_("Workers among the participants of the held workshops of the period."),
        numerator=_("Participants recorded as workers"),
        by=("partner", "module"),
        list_url="workshops:list",
        list_query={"when": "past"},
    ),
    Indicator(
        code="participants_women_share",
        name=_("Share of women among participants"),
        group=TRAINING,
        definition=_("Women as a share of the participants of the held workshops of the period."),
        numerator=_("Women participants"),
        denominator=_("All participants"),
        unit=PERCENT,
        by=("partner", "module"),
        list_url="workshops:list",
        list_query={"when": "past"},
    ),
    Indicator(
        code="participant_satisfaction",
        name=_("Participant satisfaction"),
        group=TRAINING,
        definition=_(
            "Share of the participants who answered the workshop evaluation of the held "
            "workshops of the period and rated the workshop 4 or 5 (of 5) on the overall "
            "satisfaction question (any version of it). Answers are anonymous."
        ),
        numerator=_("Respondents rating the workshop 4 or 5 overall"),
        denominator=_("Respondents answering the overall satisfaction question"),
        unit=PERCENT,
        by=("partner", "module"),
        list_url="reports:evaluations",
    ),
    Indicator(
        code="visits_done",
        name=_("Visits recorded"),
        group=CONSULTING,
        definition=_("Consulting visits recorded with a visit date in the period."),
        numerator=_("Recorded visits dated in the period"),
    ),
    Indicator(
        code="visits_planned",
        name=_("Visits planned"),
        group=CONSULTING,
        definition=_(
            "Consulting visits planned for a date in the period, whatever became of them "
            "(recorded or still open; cancelled visits are not counted)."
        ),
        numerator=_("Visits with a planned date in the period, not cancelled"),
    ),
    Indicator(
        code="visits_done_share",
        name=_("Planned visits done"),
        group=CONSULTING,
        definition=_("Share of the visits planned in the period that have been recorded."),
        numerator=_("Visits planned in the period and recorded"),
        denominator=_("Visits planned in the period, not cancelled"),
        unit=PERCENT,
    ),
    Indicator(
        code="visits_overdue",
        name=_("Planned visits overdue"),
        group=CONSULTING,
        definition=_("Visits still planned whose planned date has passed (today)."),
        numerator=_("Open planned visits dated before today"),
        period_rule=AS_OF,
    ),
    Indicator(
        code="trainers_certified",
        name=_("Certified trainers"),
        group=TRAINERS,
        definition=_(
            "Active trainers of the partner holding a certified or expert certification "
            "still valid on the period's last day."
        ),
        numerator=_("Trainers with a valid certified or expert certification"),
        period_rule=AS_OF,
        by=("partner", "module"),
        list_url="trainers:list",
    ),
    Indicator(
        code="trainers_active",
        name=_("Certified trainers active in the last 12 months"),
        group=TRAINERS,
        definition=_(
            "Certified trainers who taught a held workshop or recorded a visit in the twelve "
            "months up to the period's last day."
        ),
        numerator=_("Certified trainers active in the last 12 months"),
        period_rule=AS_OF,
        by=("partner", "module"),
        list_url="trainers:list",
        list_query={"active": "yes"},
    ),
    Indicator(
        code="cost_recovery",
        name=_("Cost recovery"),
        group=FINANCE,
        definition=_(
            "Share of the training fees of the enrolments meeting the period paid by non-ILO "
            "sources (enterprises, sponsors and government). Only fees in the programme "
            "currency are counted: shares of different currencies are not mixed."
        ),
        numerator=_("Fees paid by enterprises, sponsors and government"),
        denominator=_("All fees paid, including ILO and donors"),
        unit=PERCENT,
        by=("partner", "module"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="data_coverage",
        name=_("KPI data coverage"),
        group=RESULTS,
        definition=_(
            "Share of the trained enterprises (an enrolment in consulting or completed) "
            "reached in the period that have a baseline and at least one follow-up reading."
        ),
        numerator=_("Trained enterprises with a baseline and a follow-up"),
        denominator=_("Trained enterprises"),
        unit=PERCENT,
        period_rule=AS_OF,
        list_url="enterprises:list",
        list_query={"enrolment_status": "trained"},
    ),
    Indicator(
        code="improving_share",
        name=_("Enterprises improving"),
        group=RESULTS,
        definition=_(
            "Share of the enterprises reached in the period reporting a baseline and a "
            "follow-up whose latest follow-up of at least one KPI is better than its "
            "baseline (in the KPI's direction)."
        ),
        numerator=_("Enterprises with at least one improved KPI"),
        denominator=_("Enterprises with a baseline and a follow-up"),
        unit=PERCENT,
        period_rule=AS_OF,
        list_url="enterprises:list",
    ),
    Indicator(
        code="projects",
        name=_("Improvement projects"),
        group=RESULTS,
        definition=_(
            "Improvement projects of the enterprises reached whose dates meet the period."
        ),
        numerator=_("Improvement projects meeting the period"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="projects_completed",
        name=_("Improvement projects completed"),
        group=RESULTS,
        definition=_("Of those, the projects with status completed."),
        numerator=_("Completed improvement projects meeting the period"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="savings_total",
        name=_("Realised savings"),
        group=RESULTS,
        definition=_(
            "Realised savings of the completed improvement projects meeting the period, per "
            "currency (amounts in different currencies are never added up)."
        ),
        numerator=_("Sum of realised savings of completed projects"),
        unit=MONEY,
        by=("partner", "currency"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="savings_median",
        name=_("Median realised saving per enterprise"),
        group=RESULTS,
        definition=_(
            "Middle value of the enterprises' realised savings (enterprises with at least one "
            "completed project with a realised saving), per currency."
        ),
        numerator=_("Median of each enterprise's realised savings"),
        unit=MONEY,
        by=("partner", "currency"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="savings_per_enterprise",
        name=_("Average realised saving per enterprise"),
        group=RESULTS,
        definition=_(
            "Realised savings divided by the enterprises that realised any, per currency."
        ),
        numerator=_("Realised savings"),
        denominator=_("Enterprises with a realised saving"),
        unit=MONEY,
        by=("partner", "currency"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="roi_median",
        name=_("Median return on investment"),
        group=RESULTS,
        definition=_(
            "For each enrolment meeting the period whose enterprise paid a fee: the realised "
            "savings of the enterprise's completed projects of that module, in the fee's "
            "currency, divided by the fee the enterprise paid. The middle value of these "
            "ratios (per module: over that module's enrolments)."
        ),
        numerator=_("Realised savings of the module's completed projects"),
        denominator=_("Fee paid by the enterprise for the module"),
        unit=RATIO,
        decimals=1,
        by=("partner", "module"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="eit_members",
        name=_("EIT members"),
        group=EIT,
        definition=_(
            "Members of the Enterprise Improvement Teams of the enterprises reached who are "
            "active on the period's last day: started on or before it (or no start recorded) "
            "and not ended before it."
        ),
        numerator=_("Active EIT members"),
        period_rule=AS_OF,
        list_url="enterprises:list",
    ),
    Indicator(
        code="eit_women",
        name=_("EIT members: women"),
        group=EIT,
        definition=_("Women among the active EIT members."),
        numerator=_("Active EIT members recorded as female"),
        period_rule=AS_OF,
        list_url="enterprises:list",
    ),
    Indicator(
        code="eit_women_share",
        name=_("Women in EITs"),
        group=EIT,
        definition=_("Women as a share of the active EIT members."),
        numerator=_("Active women EIT members"),
        denominator=_("Active EIT members"),
        unit=PERCENT,
        period_rule=AS_OF,
        list_url="enterprises:list",
    ),
    Indicator(
        code="eit_workers_share",
        name=_("Workers in EITs"),
        group=EIT,
        definition=_("Workers as a share of the active EIT members."),
        numerator=_("Active EIT members who are workers"),
        denominator=_("Active EIT members"),
        unit=PERCENT,
        period_rule=AS_OF,
        list_url="enterprises:list",
    ),
    Indicator(
        code="suggestions_made",
        name=_("Worker suggestions made"),
        group=EIT,
        definition=_(
            "Suggestions made by workers of the enterprises reached, months in the period."
        ),
        numerator=_("Sum of monthly suggestions made"),
        list_url="enterprises:list",
    ),
    Indicator(
        code="suggestions_implemented",
        name=_("Worker suggestions implemented"),
        group=EIT,
        definition=_("Of those, the suggestions implemented."),
        numerator=_("Sum of monthly suggestions implemented"),
        list_url="enterprises:list",
    ),
]

# Share of enterprises improving per KPI family (the headline groups of the KPI catalogue).
FAMILIES = dict(HEADLINES)
INDICATORS += [
    Indicator(
        code=f"improving_share_{family}",
        name=label,
        group=RESULTS,
        definition=_(
            "Share of the enterprises reached in the period reporting a baseline and a "
            "follow-up of a KPI of this family whose latest follow-up is better than its "
            "baseline (in the KPI's direction)."
        ),
        numerator=_("Enterprises with an improved KPI of the family"),
        denominator=_("Enterprises with a baseline and a follow-up of a KPI of the family"),
        unit=PERCENT,
        period_rule=AS_OF,
        list_url="enterprises:list",
    )
    for family, label in FAMILIES.items()
]

# SCORE assessments: good practices adopted since the baseline (per module).
INDICATORS.append(
    Indicator(
        code="practices_adopted_share",
        name=_("Enterprises adopting a new good practice"),
        group=RESULTS,
        definition=_(
            "Share of the enterprises reached in the period, with a baseline and a progress "
            "assessment of a module (assessed on or before the period's last day), whose latest "
            "progress assessment has at least one good practice answered yes that was answered "
            "no at the baseline. Practices are compared across checklist versions by their key. "
            "An enterprise whose only enrolment in the module was withdrawn is left out. Per "
            "module: over that module's assessments; overall, an enterprise counts once."
        ),
        numerator=_("Enterprises with at least one practice adopted since the baseline"),
        denominator=_("Enterprises with a baseline and a progress assessment of the module"),
        unit=PERCENT,
        period_rule=AS_OF,
        by=("partner", "module"),
        list_url="enterprises:list",
    )
)

REGISTER: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}

# Indicators with a figure per sex ("sex" in ``by``): the register's code of each sex's
# figure, which a target per sex is measured against.
BY_SEX: dict[str, dict[str, str]] = {
    "participants": {"women": "participants_women", "men": "participants_men"},
}
CODES = list(REGISTER)


def indicator(code: str) -> Indicator:
    return REGISTER[code]

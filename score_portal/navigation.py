"""The main menu: one ordered list, top to bottom as it appears. Each entry names its page by
URL name (a string, so this layer imports no higher app), the permission a user needs
somewhere to see it and, when given, a predicate on the user's ``Access`` (e.g. only trainer
logins)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import Perm


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: str
    when: Callable[[Any], bool] | None = None


NAVIGATION: tuple[NavItem, ...] = (
    # the enterprise contact's portal (contacts app): only contacts hold Perm.ENTERPRISE
    NavItem(_("My enterprise"), "contacts:home", Perm.ENTERPRISE),
    NavItem(_("Actions"), "contacts:actions", Perm.ENTERPRISE),
    NavItem(_("KPIs"), "contacts:kpis", Perm.ENTERPRISE),
    NavItem(_("Assessments"), "contacts:assessments", Perm.ENTERPRISE),
    NavItem(_("Projects and suggestions"), "contacts:projects", Perm.ENTERPRISE),
    NavItem(_("Certificates"), "contacts:certificates", Perm.ENTERPRISE),
    NavItem(_("Reports"), "contacts:reports", Perm.ENTERPRISE),
    NavItem(
        _("My schedule"), "trainers:my-schedule", Perm.VIEW, when=lambda access: access.is_trainer
    ),
    NavItem(
        _("Visits on this phone"),
        "trainers:offline-app",
        Perm.RECORD,
        when=lambda access: access.is_trainer,
    ),
    NavItem(_("Dashboard"), "reports:dashboard", Perm.REPORTS),
    NavItem(_("Enterprises"), "enterprises:list", Perm.VIEW),
    NavItem(_("Workshops"), "workshops:list", Perm.VIEW),
    NavItem(_("Trainers"), "trainers:list", Perm.VIEW),
    NavItem(
        _("Visit plan"),
        "trainers:visits:plan",
        Perm.VIEW,
        when=lambda access: not access.is_trainer,  # trainers have "My schedule"
    ),
    NavItem(_("Reports"), "reports:run-list", Perm.REPORTS),
    NavItem(_("Modules"), "catalogue:module-list", Perm.VIEW),
    NavItem(_("KPI catalogue"), "catalogue:kpi-list", Perm.MANAGE_CATALOGUE),
    NavItem(_("People"), "people:partner-list", Perm.MANAGE_PEOPLE),
)


def nav_for(access) -> list[NavItem]:
    """The menu entries this user sees, in menu order."""
    return [
        item
        for item in NAVIGATION
        if access.has_perm(item.perm) and (item.when is None or item.when(access))
    ]

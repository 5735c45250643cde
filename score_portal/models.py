"""People and tenancy: implementing partners and who holds which role for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BilingualNameMixin:
    """Models with ``name_en`` and ``name_zh`` show the one of the active language."""

    name_en: str
    name_zh: str

    @property
    def name(self) -> str:
        language = (get_language() or "en").lower()
        if language.startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name_en or self.name_zh


class LocalNameMixin:
    """Models with a ``name`` and an optional ``name_zh`` (people, enterprises) show the
    Chinese name when Chinese is active."""

    name: str
    name_zh: str

    @property
    def display_name(self) -> str:
        if (get_language() or "").lower().startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name


class Partner(BilingualNameMixin, models.Model):
    """An implementing organisation: the tenant. Its people see only its data."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", _("Enterprise federation")
        GOVERNMENT = "government", _("Government agency")
        TRAINING = "training", _("Training organisation")
        ASSOCIATION = "association", _("Industry association")

    code = models.SlugField(
        _("code"), max_length=20, unique=True, help_text=_("Short code, for example ZJ.")
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FEDERATION)
    region = models.CharField(_("region"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    PARTNER_PATH = "id"
    TRAINER_PATH = "*"  # trainers see the partners they work for (access.EVERY)

    class Meta:
        ordering = ["code"]
        verbose_name = _("implementing partner")
        verbose_name_plural = _("implementing partners")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Role(models.TextChoices):
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    PARTNER_MANAGER = "partner_manager", _("Partner manager")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    TRAINER = "trainer", _("Trainer")
    # one enterprise's own person (the EIT secretary, a manager): that enterprise only
    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")


class Membership(models.Model):
    """A user holds a role, for one partner (or for the whole programme). Rows are created,
    changed and deleted only by ``score_portal.memberships``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("partner"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # The one enterprise an enterprise contact speaks for (its partner is ``partner``); empty
    # for every other role. Named as data like PARTNER_PATH: the access module never
    # imports the enterprises app.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_memberships",
        verbose_name=_("enterprise"),
    )
    # ... or the enterprise group a group contact (its "SCORE secretary") speaks for: the
    # same role over every enterprise of the group, as the group is at each request.
    group = models.ForeignKey(
        "enterprises.EnterpriseGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_memberships",
        verbose_name=_("enterprise group"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Every grant, change and revocation, with its author: written only by memberships.py.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_partner_matches_role",
                condition=(
                    Q(role=Role.PROGRAMME_MANAGER, partner__isnull=True)
                    | (~Q(role=Role.PROGRAMME_MANAGER) & Q(partner__isnull=False))
                ),
            ),
            # A contact has an enterprise or a group, never both (of that partner: checked
            # in ``clean``, which the only writer, memberships.py, always calls); nobody
            # else has either.
            models.CheckConstraint(
                name="membership_enterprise_only_for_contacts",
                condition=(
                    Q(role=Role.ENTERPRISE_CONTACT, enterprise__isnull=False, group__isnull=True)
                    | Q(role=Role.ENTERPRISE_CONTACT, enterprise__isnull=True, group__isnull=False)
                    | (
                        ~Q(role=Role.ENTERPRISE_CONTACT)
                        & Q(enterprise__isnull=True, group__isnull=True)
                    )
                ),
            ),
            models.UniqueConstraint(fields=["user", "partner"], name="membership_one_per_partner"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(partner__isnull=True),
                name="membership_one_programme_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.partner.code if self.partner is not None else _("programme")
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role == Role.ENTERPRISE_CONTACT:
            if (self.enterprise_id is None) == (self.group_id is None):
                raise ValidationError(
                    {"enterprise": _("An enterprise contact needs an enterprise or a group.")}
                )
            if self.enterprise_id is not None and self.enterprise.partner_id != self.partner_id:
                raise ValidationError(
                    {"enterprise": _("The enterprise belongs to another partner.")}
                )
            if self.group_id is not None and self.group.partner_id != self.partner_id:
                raise ValidationError({"group": _("The group belongs to another partner.")})
        elif self.enterprise_id is not None or self.group_id is not None:
            raise ValidationError(
                {"enterprise": _("Only an enterprise contact has an enterprise.")}
            )


class Profile(models.Model):
    """One person's preferences: the interface language (applied at login and kept when they
    switch language in the top bar) and, for programme managers, the partner the dashboard
    opens on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow the browser."),
    )
    default_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default partner"),
        help_text=_("The partner the dashboard shows first."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language or '-'}"


class FormSubmission(models.Model):
    """A create form's one-time token, spent by the first submission that saves.

    Every create form carries a random token; the view inserts it here in the same
    transaction as the record it creates. A second submission of the same form (a double
    click, a resent request) collides on the unique token, waits for the first to commit,
    and is sent to what the first one saved instead of creating it twice."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.token


class FiguresChange(models.Model):
    """One row per write to data the programme figures read (``score_portal.figures_cache``):
    the cache of computed figures is keyed by the highest id and the number of rows, so a
    committed write makes every cached figure stale at once. Append-only (no row lock shared
    between writers); old rows are pruned after commit."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("figures change")
        verbose_name_plural = _("figures changes")

    def __str__(self) -> str:
        return f"{self.pk} {self.at:%Y-%m-%d %H:%M:%S}"


class LoginLink(models.Model):
    """A one-time login link sent by e-mail ("send me a login link" on the login page).

    Only the SHA-256 digest of the token is kept; the link works once (spent with a
    conditional update) and until ``expires_at``. A request for an address without a login
    keeps a row too (``user`` empty, no token), so that the rate limits count every request
    and the page answers the same whether or not the address exists."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    email_digest = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("login link")
        verbose_name_plural = _("login links")

    def __str__(self) -> str:
        return f"{self.user_id or '-'} · {self.created_at:%Y-%m-%d %H:%M}"

"""Trainers (consultants), their certification per module, workshop teaching, consultant
assignments to enrolments, and consulting visits with the actions agreed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from enterprises.models import EITMember, Enrolment, Enterprise
from score_portal.dates import PAST, PlausibleDatesMixin
from score_portal.models import LocalNameMixin, Partner
from workshops.models import Workshop


class Trainer(LocalNameMixin, models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainer",
        verbose_name=_("login"),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation or company"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        Partner, related_name="trainers", verbose_name=_("partners served")
    )
    is_active = models.BooleanField(_("active"), default=True)
    bio = models.TextField(_("short biography"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[partners])

    PARTNER_PATH = "partners"
    TRAINER_PATH = "*"  # the trainers of the partners they serve (co-trainers, experts)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def partner_q(cls, partner_ids):
        served = cls.partners.through.objects.filter(partner_id__in=partner_ids)
        return Q(pk__in=served.values("trainer_id"))

    def partner_ids(self) -> list[int]:
        return [partner.pk for partner in self.partners.all()]


class Certification(PlausibleDatesMixin, models.Model):
    """A trainer's standing in one module. Changes are kept in its history."""

    DATE_RULES = {"tot_date": PAST, "decision_date": PAST}

    class Grade(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate trainer")
        CERTIFIED = "certified", _("Certified trainer")
        EXPERT = "expert", _("Expert trainer")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Expired")

    QUALIFIED = (Grade.CERTIFIED, Grade.EXPERT)

    trainer = models.ForeignKey(
        Trainer, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("trainer")
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("module")
    )
    grade = models.CharField(
        _("grade"), max_length=20, choices=Grade.choices, default=Grade.CANDIDATE
    )
    tot_date = models.DateField(_("Training of Trainers date"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        Trainer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("recommending expert"),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Empty: the decision date (or last renewal) plus the module's validity."),
    )
    renewed_on = models.DateField(_("last renewed on"), null=True, blank=True)
    supervised_workshops = models.ManyToManyField(
        Workshop, blank=True, related_name="+", verbose_name=_("supervised workshops")
    )
    supervised_enterprises = models.ManyToManyField(
        Enterprise, blank=True, related_name="+", verbose_name=_("supervised enterprises")
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    PARTNER_PATH = "trainer__partners"

    class Meta:
        ordering = ["module__order"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "module"], name="certification_one_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainer} · {self.module.code} · {self.get_grade_display()}"

    def is_qualified(self, on=None) -> bool:
        """Certified or expert, and not past its validity."""
        on = on or timezone.localdate()
        return self.grade in self.QUALIFIED and (self.valid_until is None or self.valid_until >= on)

    def is_expired(self, on=None) -> bool:
        """Was certified or expert, but its validity ended before ``on`` (or graded expired)."""
        on = on or timezone.localdate()
        if self.grade == self.Grade.EXPIRED:
            return True
        return (
            self.grade in self.QUALIFIED and self.valid_until is not None and self.valid_until < on
        )

    def standing(self, on=None) -> str:
        """One word for what the certification means on a day: ``valid``, ``expired``,
        ``candidate`` or ``suspended`` (see ``trainers.eligibility.standing_label``)."""
        if self.is_expired(on):
            return "expired"
        if self.grade in self.QUALIFIED:
            return "valid"
        return str(self.grade)

    def standing_label(self) -> str:
        """The grade and validity in words, today ("Certified trainer, expired on …")."""
        from .eligibility import standing_label

        return standing_label(self)


class WorkshopTrainer(models.Model):
    """Who teaches a workshop (its teaching team), with the history of each change."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="trainer_links")
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="workshop_links")
    is_lead = models.BooleanField(_("lead trainer"), default=False)
    eligibility_note = models.TextField(
        _("reason for an uncertified trainer"),
        blank=True,
        help_text=_("Why this trainer teaches without being certified for the module."),
    )
    # What was wrong with this trainer's certification when the team was chosen, as codes and
    # parameters (``trainers.eligibility``), translated when shown: never stored as text.
    eligibility_warnings = models.JSONField(_("eligibility warnings"), default=list, blank=True)
    history = HistoricalRecords()

    PARTNER_PATH = "workshop__partner"

    class Meta:
        ordering = ["-is_lead", "trainer__name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "trainer"], name="workshop_trainer_once")
        ]

    def __str__(self) -> str:
        return f"{self.trainer} @ {self.workshop}"

    def warning_messages(self) -> list[str]:
        """The stored warnings in the language of the page showing them."""
        from .eligibility import describe

        return [describe(warning, trainer=self.trainer) for warning in self.eligibility_warnings]


class Assignment(models.Model):
    """A trainer assigned as consultant to an enrolment: this scopes what the trainer sees."""

    trainer = models.ForeignKey(
        Trainer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("trainer")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("enrolment")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    PARTNER_PATH = "enrolment__enterprise__partner"

    class Meta:
        ordering = ["trainer__name"]
        verbose_name = _("consultant assignment")
        verbose_name_plural = _("consultant assignments")
        constraints = [
            models.UniqueConstraint(fields=["trainer", "enrolment"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.trainer} → {self.enrolment}"


class ConsultingVisit(PlausibleDatesMixin, models.Model):
    """An in-enterprise consulting visit (入企咨询): planned, then recorded or cancelled."""

    DATE_RULES = {"visit_date": PAST}

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RECORDED = "recorded", _("Recorded")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        REMOTE = "remote", _("Remote")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="visits", verbose_name=_("enrolment")
    )
    trainer = models.ForeignKey(
        Trainer, on_delete=models.PROTECT, related_name="visits", verbose_name=_("consultant")
    )
    number = models.PositiveSmallIntegerField(_("visit number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    co_visitor = models.CharField(
        _("co-visitor"), max_length=200, blank=True, help_text=_("For example a safety inspector.")
    )
    eit_present = models.ManyToManyField(
        EITMember, blank=True, related_name="visits", verbose_name=_("EIT members present")
    )
    topics = models.TextField(_("topics covered"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    next_visit_date = models.DateField(_("next visit date"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    PARTNER_PATH = "enrolment__enterprise__partner"
    TRAINER_PATH = ("enrolment__assignments__trainer__user", "trainer__user")
    ENTERPRISE_PATH = "enrolment__enterprise"

    class Meta:
        ordering = ["enrolment", "number"]
        verbose_name = _("consulting visit")
        verbose_name_plural = _("consulting visits")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="visit_number_once"),
            models.CheckConstraint(
                condition=~Q(status="recorded") | Q(visit_date__isnull=False),
                name="visit_recorded_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="visit_cancel_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["trainer", "status", "planned_date"])]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.number}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.PLANNED
            and self.planned_date is not None
            and self.planned_date < timezone.localdate()
        )


class VisitAction(PlausibleDatesMixin, models.Model):
    """An action agreed on a visit; the next visit marks it done or not done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", pgettext_lazy("action status", "Not done")

    visit = models.ForeignKey(
        ConsultingVisit, on_delete=models.CASCADE, related_name="actions", verbose_name=_("visit")
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reviewed_on = models.ForeignKey(
        ConsultingVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_actions",
        verbose_name=_("reviewed on visit"),
    )
    history = HistoricalRecords()

    PARTNER_PATH = "visit__enrolment__enterprise__partner"
    ENTERPRISE_PATH = "visit__enrolment__enterprise"

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")

    def __str__(self) -> str:
        return self.description


class ActionProgress(models.Model):
    """The enterprise's report on an agreed action: a note and the status it proposes.
    Staff read it on the visit; the action's status changes only at a visit (or by staff)."""

    class Proposal(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", pgettext_lazy("action status", "Not done")

    action = models.ForeignKey(
        VisitAction,
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("agreed action"),
    )
    note = models.TextField(_("progress"), max_length=2000)
    proposed_status = models.CharField(
        _("proposed status"), max_length=12, choices=Proposal.choices
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    history = HistoricalRecords()

    PARTNER_PATH = "action__visit__enrolment__enterprise__partner"
    TRAINER_PATH = (
        "action__visit__enrolment__assignments__trainer__user",
        "action__visit__trainer__user",
    )
    ENTERPRISE_PATH = "action__visit__enrolment__enterprise"

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("progress report on an action")
        verbose_name_plural = _("progress reports on actions")

    def __str__(self) -> str:
        return f"{self.action} · {self.get_proposed_status_display()}"


class SyncRecord(models.Model):
    """One record sent by the trainer's phone, by the id the phone made for it: the same
    record sent again (a retry, a replayed queue) finds this row and changes nothing."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Saved")
        CONFLICT = "conflict", _("Waiting for review")

    client_uuid = models.UUIDField(_("id made on the phone"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sent by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    visit = models.ForeignKey(
        ConsultingVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sync_records",
        verbose_name=_("visit"),
    )
    readings = models.PositiveSmallIntegerField(_("KPI readings saved"), default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("record sent from a phone")
        verbose_name_plural = _("records sent from phones")

    def __str__(self) -> str:
        return f"{self.client_uuid} · {self.status}"


class SyncConflict(models.Model):
    """A record from the phone that could not be applied without overwriting what changed on
    the server meanwhile: kept with both versions until a person decides."""

    class Reason(models.TextChoices):
        VISIT_CHANGED = "visit_changed", _("The visit was changed meanwhile")
        VISIT_CANCELLED = "visit_cancelled", _("The visit was cancelled meanwhile")
        READING_LOCKED = "reading_locked", _("A KPI reading was verified and locked meanwhile")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        APPLIED = "applied", _("The phone's version was recorded")
        DISCARDED = "discarded", _("The server's version was kept")

    record = models.OneToOneField(
        SyncRecord, on_delete=models.CASCADE, related_name="conflict", verbose_name=_("record")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    visit = models.ForeignKey(
        ConsultingVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visit"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    phone_version = models.JSONField(_("the phone's version"))
    server_version = models.JSONField(_("the server's version"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    PARTNER_PATH = "enrolment__enterprise__partner"
    TRAINER_PATH = ("enrolment__assignments__trainer__user", "record__user")

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.get_reason_display()}"


VISIT_FILE_EXTENSIONS = ["jpg", "jpeg", "png", "pdf"]


def visit_file_path(instance, filename: str) -> str:
    # Never the user's file name on disk: a random name under the visit's folder.
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"visits/{instance.visit_id}/{uuid.uuid4().hex}.{extension}"


class VisitFile(models.Model):
    """A photo or evidence file taken on a visit (served only through an access check)."""

    visit = models.ForeignKey(
        ConsultingVisit, on_delete=models.CASCADE, related_name="files", verbose_name=_("visit")
    )
    file = models.FileField(_("file"), upload_to=visit_file_path)
    name = models.CharField(_("file name"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    PARTNER_PATH = "visit__enrolment__enterprise__partner"
    TRAINER_PATH = ("visit__enrolment__assignments__trainer__user", "visit__trainer__user")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("visit photo or file")
        verbose_name_plural = _("visit photos and files")

    def __str__(self) -> str:
        return self.name

"""Attendance-sheet imports: one uploaded sheet of a workshop's participants (and their
attendance by day), previewed then applied by the worker (``workshops.sheets``)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from score_portal.jobs import Job

from .workshops import Workshop


def _sheet_upload_to(instance, filename) -> str:
    # Only our own name reaches the disk: the uploaded name is kept in ``original_name``.
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/workshops/{instance.workshop_id}/{instance.pk}{extension}"


class ParticipantImport(Job):
    """One uploaded attendance sheet (姓名, 性别, 职务, 单位, 手机号码, one column per day),
    previewed as a dry run and then applied in one transaction. The file lives under
    MEDIA_ROOT/imports/, which no URL serves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="participant_imports",
        verbose_name=_("workshop"),
    )
    file = models.FileField(_("file"), upload_to=_sheet_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("preview only"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    PARTNER_PATH = "workshop__partner"
    TASK = "workshops.tasks.run_participant_import"
    FINISHED = (Status.PREVIEWED, Status.APPLIED)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attendance-sheet import")
        verbose_name_plural = _("attendance-sheet imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="participant_import_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.PREVIEWED, self.Status.APPLIED, self.Status.FAILED}

    @property
    def counts(self) -> dict:
        return self.result.get("counts", {})

    @property
    def has_errors(self) -> bool:
        return bool(self.result.get("file_errors")) or bool(self.counts.get("error"))

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.PREVIEWED
            and self.dry_run
            and bool(self.result.get("rows"))
            and not self.has_errors
        )

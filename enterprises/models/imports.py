"""Import jobs: one uploaded file, previewed then applied (the work is in ``transfer``)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from score_portal.jobs import Job
from score_portal.models import Partner


def _import_upload_to(instance, filename) -> str:
    # Only our own name reaches the disk: the uploaded name is kept in ``original_name``.
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{instance.partner_id}/{instance.pk}{extension}"


def _errors_upload_to(instance, filename) -> str:
    return f"imports/{instance.partner_id}/{instance.pk}-rejected.xlsx"


class ImportJob(Job):
    """One uploaded import file: previewed (a dry run), then applied. The row is the truth
    about the run; the file lives under MEDIA_ROOT/imports/, which no URL serves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("partner")
    )
    file = models.FileField(_("file"), upload_to=_import_upload_to, max_length=200)
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

    partial = models.BooleanField(
        _("import the valid rows"),
        default=False,
        help_text=_("Rows with errors are left out and offered as a file to correct."),
    )
    override_reason = models.CharField(
        _("reason for accepting wrong check characters"), max_length=200, blank=True
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("override granted by"),
    )
    errors_file = models.FileField(
        _("rejected rows"), upload_to=_errors_upload_to, max_length=200, blank=True
    )

    PARTNER_PATH = "partner"
    TRAINER_PATH = "*"  # trainers know their partner's imports exist (and get 403)
    TASK = "enterprises.tasks.run_import_job"
    FINISHED = (Status.PREVIEWED, Status.APPLIED)

    @classmethod
    def stale_after(cls):
        """Above the task's hard time limit (32 minutes)."""
        from datetime import timedelta

        return timedelta(seconds=settings.IMPORT_STUCK_AFTER_SECONDS)

    @classmethod
    def stale_message(cls) -> str:
        return str(
            _(
                "The import was interrupted several times and stopped. Nothing was "
                "imported: upload the file again."
            )
        )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="import_job_progress_percent"
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
            and bool(self.result)
            and not self.has_errors
        )

    @property
    def can_confirm_valid_rows(self) -> bool:
        """A preview with rows in error and rows without: "import the valid rows"."""
        counts = self.counts
        valid = sum(counts.get(k, 0) for k in ("new", "update", "unchanged"))
        return (
            self.status == self.Status.PREVIEWED
            and self.dry_run
            and not self.result.get("file_errors")
            and bool(counts.get("error"))
            and valid > 0
        )

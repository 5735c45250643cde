"""Export jobs: a large enterprise list written to a file by the worker, with progress."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from score_portal.jobs import Job


def _export_upload_to(instance, filename) -> str:
    return f"exports/{instance.requested_by_id}/{instance.pk}.{instance.format}"


class ExportJob(Job):
    """One export of the enterprise list as the person filtered it. The rows are chosen when
    the worker runs, with the requester's access at that moment; only the requester sees the
    job and downloads its file (under MEDIA_ROOT/exports/, which no URL serves)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel")
        CSV = "csv", "CSV"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    query = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to=_export_upload_to, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=100, blank=True)

    TASK = "enterprises.tasks.run_export_job"
    FINISHED = (Status.DONE,)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="export_job_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name or str(self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

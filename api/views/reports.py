"""Targets and report runs: request a report through the reports service, poll the run,
download its files."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.selectors.enterprises import enterprise_list
from enterprises.selectors.groups import enterprise_group_list
from reports.models import ReportRun
from reports.services import report_request
from reports.targets import target_list
from score_portal.access import Perm, partners_for, scope
from workshops.selectors.workshops import workshop_list

from ..exceptions import NotReady
from ..filters import SyncFilterSet, ref
from ..schema import Error
from ..serializers import reports as s
from .base import ReadViewSet


class TargetFilter(SyncFilterSet):
    partner = ref("partner_id", "Partner id")

    class Meta:
        model = s.Target
        fields = ["partner", "indicator", "year", "quarter", "kind", "sex"]


class TargetViewSet(ReadViewSet):
    """Targets (per indicator, period, module and sex) of the partners you may see."""

    serializer_class = s.TargetSerializer
    filterset_class = TargetFilter

    def scoped(self):
        return target_list(self.request.user)


class ReportRunFilter(SyncFilterSet):
    partner = ref("partner_id", "Partner id")

    class Meta:
        model = ReportRun
        fields = ["partner", "kind", "status", "language"]


FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
NOT_READY = OpenApiResponse(Error, description="Not done yet: poll the run.")


class ReportRunViewSet(ReadViewSet):
    """Report runs: POST to request one (it joins an identical run queued or running), GET
    to poll its status and progress, then download the PDF and the spreadsheet."""

    required_perm = Perm.REPORTS
    serializer_class = read_serializer_class = s.ReportRunSerializer
    filterset_class = ReportRunFilter
    cursor_ordering = "-created_at"
    http_method_names = ["get", "post", "head", "options"]

    def scoped(self):
        return scope(self.request.user, ReportRun.objects.all(), Perm.REPORTS)

    @extend_schema(
        request=s.ReportRequestSerializer,
        responses={202: OpenApiResponse(s.ReportRunSerializer, description="Queued or joined.")},
    )
    def create(self, request):
        data = self._input(s.ReportRequestSerializer, request.data)
        user = request.user
        found = {
            "partner": (partners_for(user, Perm.REPORTS), data.pop("partner", None)),
            "enterprise": (enterprise_list(user, Perm.REPORTS), data.pop("enterprise", None)),
            "workshop": (workshop_list(user), data.pop("workshop", None)),
            "group": (enterprise_group_list(user, Perm.REPORTS), data.pop("group", None)),
        }
        objects = {
            name: get_object_or_404(queryset, pk=pk) if pk else None
            for name, (queryset, pk) in found.items()
        }
        run = report_request(acting_user=user, **objects, **data).run
        data = self.representation(self.scoped().get(pk=run.pk))
        location = reverse("api:report-run-detail", kwargs={"pk": run.pk})
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    def _file(self, field: str):
        run = self.get_object()
        file = getattr(run, field)
        if run.status != ReportRun.Status.DONE or not file:
            raise NotReady()
        return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.split("/")[-1])

    @extend_schema(responses={(200, "application/pdf"): FILE, 409: NOT_READY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The PDF, once the run is done (409 before)."""
        return self._file("file")

    @extend_schema(
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): FILE,
            409: NOT_READY,
        }
    )
    @action(detail=True, methods=["get"], url_path="download-xlsx")
    def download_xlsx(self, request, pk=None):
        """The spreadsheet, once the run is done (409 before)."""
        return self._file("xlsx_file")

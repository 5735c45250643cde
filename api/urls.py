"""The REST API under /api/v1/ (namespace ``api``); the token pages are in ``urls_tokens``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .views import enterprises, indicators, platform, reports, trainers, workshops

app_name = "api"

router = SimpleRouter()
router.register("partners", platform.PartnerViewSet, basename="partner")
router.register("enterprises", enterprises.EnterpriseViewSet, basename="enterprise")
router.register("enrolments", enterprises.EnrolmentViewSet, basename="enrolment")
router.register("kpi-definitions", enterprises.KPIDefinitionViewSet, basename="kpi-definition")
router.register("kpi-readings", enterprises.KPIReadingViewSet, basename="kpi-reading")
router.register("workshops", workshops.WorkshopViewSet, basename="workshop")
router.register("participants", workshops.ParticipantViewSet, basename="participant")
router.register("attendance", workshops.AttendanceViewSet, basename="attendance")
router.register("trainers", trainers.TrainerViewSet, basename="trainer")
router.register("certifications", trainers.CertificationViewSet, basename="certification")
router.register("visits", trainers.VisitViewSet, basename="visit")
router.register("visit-actions", trainers.VisitActionViewSet, basename="visit-action")
router.register("targets", reports.TargetViewSet, basename="target")
router.register("report-runs", reports.ReportRunViewSet, basename="report-run")

urlpatterns = [
    # one object (not a list of records): an APIView, so the schema says what it returns
    path("indicators/", indicators.IndicatorView.as_view(), name="indicator-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # the split view loads its start-up script from a URL: no inline script (CSP)
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    *router.urls,
]

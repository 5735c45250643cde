"""Every page of the enterprises app, mounted at the site root by ``config.urls``:
enterprises (``enterprises:``), their KPI readings (``enterprises:kpi:``), their review queue
(``enterprises:review:``), enrolments (``enterprises:enrolments:``), groups
(``enterprises:groups:``) and import/export (``enterprises:transfer:``)."""

from django.urls import include, path

from .transfer import views as transfer
from .views import assessments, enrolments, enterprises, groups, kpi, review

app_name = "enterprises"

kpi_patterns = [
    path("", kpi.kpi_overview, name="overview"),
    path("new/", kpi.kpi_record, name="record"),
    path("verify/", kpi.kpi_verify, name="verify"),
    path("<int:reading_pk>/", review.kpi_detail, name="detail"),
    path("<int:reading_pk>/return/", review.kpi_return, name="return"),
    path("<int:reading_pk>/answer/", review.kpi_answer, name="answer"),
    path("<int:reading_pk>/edit/", kpi.kpi_edit, name="edit"),
    path("<int:reading_pk>/unlock/", kpi.kpi_unlock, name="unlock"),
    path("<int:reading_pk>/evidence/", kpi.kpi_evidence, name="evidence"),
]

review_patterns = [
    path("", review.review_queue, name="queue"),
    path("verify/", review.review_verify, name="verify"),
]

transfer_patterns = [
    path("import/", transfer.import_upload, name="import"),
    path("import/template.xlsx", transfer.import_template, name="template"),
    path("import/<uuid:pk>/", transfer.job_detail, name="job"),
    path("import/<uuid:pk>/progress/", transfer.job_progress, name="job-progress"),
    path("import/<uuid:pk>/confirm/", transfer.job_confirm, name="job-confirm"),
    path("import/<uuid:pk>/rejected.xlsx", transfer.job_rejected_rows, name="job-rejected"),
    path("import/<uuid:pk>/override/", transfer.job_override, name="job-override"),
    path("export/", transfer.export, name="export"),
    path("export/<uuid:pk>/", transfer.export_job, name="export-job"),
    path("export/<uuid:pk>/progress/", transfer.export_job_progress, name="export-job-progress"),
    path("export/<uuid:pk>/download/", transfer.export_job_download, name="export-job-download"),
]

group_patterns = [
    path("", groups.group_list, name="list"),
    path("new/", groups.group_create, name="create"),
    path("<int:pk>/", groups.group_detail, name="detail"),
    path("<int:pk>/edit/", groups.group_edit, name="edit"),
    path("<int:pk>/enterprises/", groups.group_assign, name="assign"),
]

enrolment_patterns = [
    path("enterprises/<int:enterprise_pk>/enrol/", enrolments.enrolment_create, name="create"),
    path("enrolments/<int:pk>/edit/", enrolments.enrolment_edit, name="edit"),
    path("enrolments/<int:pk>/status/", enrolments.enrolment_transition, name="transition"),
]

enterprise_patterns = [
    path("", enterprises.enterprise_list, name="list"),
    path("new/", enterprises.enterprise_create, name="create"),
    path("bulk/", enterprises.enterprise_bulk, name="bulk"),
    path("<int:pk>/", enterprises.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", enterprises.enterprise_edit, name="edit"),
    path("<int:pk>/history/", enterprises.enterprise_history, name="history"),
    path("<int:pk>/merge/", enterprises.enterprise_merge, name="merge"),
    path("<int:pk>/eit/new/", enterprises.eit_member_edit, name="eit-create"),
    path("<int:pk>/eit/<int:member_pk>/edit/", enterprises.eit_member_edit, name="eit-edit"),
    path("<int:pk>/eit/<int:member_pk>/delete/", enterprises.eit_member_delete, name="eit-delete"),
    path("<int:pk>/projects/new/", enterprises.project_edit, name="project-create"),
    path("<int:pk>/projects/<int:project_pk>/edit/", enterprises.project_edit, name="project-edit"),
    path("<int:pk>/suggestions/", enterprises.suggestions_record, name="suggestions-record"),
    path("<int:pk>/kpis/", include((kpi_patterns, "kpi"))),
    path(
        "<int:pk>/assessments/new/<int:module_pk>/",
        assessments.assessment_record,
        name="assessment-record",
    ),
    path(
        "<int:pk>/assessments/<int:assessment_pk>/",
        assessments.assessment_detail,
        name="assessment-detail",
    ),
    path(
        "<int:pk>/assessments/<int:assessment_pk>/edit/",
        assessments.assessment_edit,
        name="assessment-edit",
    ),
    path("transfer/", include((transfer_patterns, "transfer"))),
    path("review/", include((review_patterns, "review"))),
    path("groups/", include((group_patterns, "groups"))),
]

urlpatterns = [
    path("enterprises/", include(enterprise_patterns)),
    path("", include((enrolment_patterns, "enrolments"))),
]

from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch, name="switch"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action-progress"),
    path("kpis/", views.kpi_trends, name="kpis"),
    path("kpis/submit/", views.reading_submit, name="reading-submit"),
    path("kpis/<int:pk>/answer/", views.reading_answer, name="reading-answer"),
    path("assessments/", views.assessment_list, name="assessments"),
    path(
        "assessments/<int:module_pk>/new/",
        views.assessment_record,
        name="assessment-record",
    ),
    path("projects/", views.project_list, name="projects"),
    path("projects/submit/", views.project_submit, name="project-submit"),
    path("suggestions/submit/", views.suggestions_submit, name="suggestions-submit"),
    path("certificates/", views.certificate_list, name="certificates"),
    path("reports/", views.report_list, name="reports"),
    path("groups/<int:group_pk>/reports/", views.group_reports, name="group-reports"),
    path("reports/<uuid:pk>/download/", views.report_download, name="report-download"),
]

from django.urls import path

from . import views, views_kpi

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("bulk/", views.enterprise_bulk, name="bulk"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/history/", views.enterprise_history, name="history"),
    path("<int:pk>/eit/new/", views.eit_member_edit, name="eit-create"),
    path("<int:pk>/eit/<int:member_pk>/edit/", views.eit_member_edit, name="eit-edit"),
    path("<int:pk>/eit/<int:member_pk>/delete/", views.eit_member_delete, name="eit-delete"),
    path("<int:pk>/projects/new/", views.project_edit, name="project-create"),
    path("<int:pk>/projects/<int:project_pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/suggestions/", views.suggestions_record, name="suggestions-record"),
    path("<int:pk>/kpis/", views_kpi.kpi_overview, name="kpis"),
    path("<int:pk>/kpis/new/", views_kpi.kpi_record, name="kpi-record"),
    path("<int:pk>/kpis/verify/", views_kpi.kpi_verify, name="kpi-verify"),
    path("<int:pk>/kpis/<int:reading_pk>/edit/", views_kpi.kpi_edit, name="kpi-edit"),
    path("<int:pk>/kpis/<int:reading_pk>/unlock/", views_kpi.kpi_unlock, name="kpi-unlock"),
    path("<int:pk>/kpis/<int:reading_pk>/evidence/", views_kpi.kpi_evidence,
         name="kpi-evidence"),
]

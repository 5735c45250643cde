from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("table/", views.run_table, name="run-table"),
    path("new/", views.run_create, name="run-create"),
    path("workshop/<int:workshop_pk>/", views.workshop_pack, name="workshop-pack"),
    path("<uuid:pk>/retry/", views.run_retry, name="run-retry"),
    path("<uuid:pk>/pdf/", views.run_download, {"fmt": "pdf"}, name="run-download"),
    path("<uuid:pk>/xlsx/", views.run_download, {"fmt": "xlsx"}, name="run-download-xlsx"),
]

from django.urls import path

from . import views_transfer as views

app_name = "transfer"

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="template"),
    path("import/<uuid:pk>/", views.job_detail, name="job"),
    path("import/<uuid:pk>/progress/", views.job_progress, name="job-progress"),
    path("import/<uuid:pk>/confirm/", views.job_confirm, name="job-confirm"),
    path("export/", views.export, name="export"),
]

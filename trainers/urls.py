"""Every page of the trainers app, mounted once at the root by ``config/urls.py``: the trainer
pages under ``trainers/``, consulting visits under ``visits/`` (``trainers:visits:...``) and
the workshop's teaching team under ``workshops/`` (``trainers:teaching:...``)."""

from django.urls import include, path

from .views import assignments, certification, offline, teaching, trainers, visits

app_name = "trainers"

trainer_patterns = [
    path("", trainers.trainer_list, name="list"),
    path("new/", trainers.trainer_create, name="create"),
    path("schedule/", trainers.my_schedule, name="my-schedule"),
    path("<int:pk>/", trainers.trainer_detail, name="detail"),
    path("<int:pk>/edit/", trainers.trainer_edit, name="edit"),
    path(
        "<int:pk>/certifications/new/",
        certification.certification_edit,
        name="certification-create",
    ),
    path(
        "<int:pk>/certifications/<int:module_pk>/",
        certification.certification_edit,
        name="certification-edit",
    ),
    path(
        "certifications/<int:pk>/renew/",
        certification.certification_renew,
        name="certification-renew",
    ),
    path("offline/", offline.offline_app, name="offline-app"),
    path("offline/data.json", offline.offline_data, name="offline-data"),
    path("sync/", offline.sync, name="sync"),
    path("sync/conflicts/", offline.conflict_list, name="sync-conflicts"),
    path("sync/conflicts/<int:pk>/", offline.conflict_detail, name="sync-conflict"),
    path("enrolments/<int:pk>/consultants/", assignments.assignment_add, name="assignment-add"),
    path("consultants/<int:pk>/remove/", assignments.assignment_remove, name="assignment-remove"),
]

visit_patterns = [
    path("plan/", visits.visit_plan, name="plan"),
    path("<int:pk>/", visits.visit_detail, name="detail"),
    path("<int:pk>/record/", visits.visit_record, name="record"),
    path("<int:pk>/cancel/", visits.visit_cancel, name="cancel"),
    path("<int:pk>/files/<int:file_pk>/", visits.visit_file, name="file"),
    path("enrolment/<int:enrolment_pk>/new/", visits.visit_new, name="new"),
]

teaching_patterns = [
    path("<int:pk>/trainers/", teaching.workshop_trainers, name="team"),
    path("<int:pk>/complete/", teaching.workshop_complete, name="complete"),
]

urlpatterns = [
    # The service worker and manifest live at the root so that the app may control it all.
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("workshops/", include((teaching_patterns, "teaching"))),
    path("visits/", include((visit_patterns, "visits"))),
    path("trainers/", include(trainer_patterns)),
]

"""Every page of the workshops app: workshops, delegations, participants, attendance."""

from django.urls import path

from .views import evaluations, imports, participants, workshops

app_name = "workshops"

urlpatterns = [
    path("workshops/", workshops.workshop_list, name="list"),
    path("workshops/calendar/", workshops.workshop_calendar, name="calendar"),
    path("workshops/new/", workshops.workshop_create, name="create"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="detail"),
    path("workshops/<int:pk>/edit/", workshops.workshop_edit, name="edit"),
    path("workshops/<int:pk>/invite/", workshops.workshop_invite, name="invite"),
    path(
        "workshops/<int:pk>/delegations/<int:enrolment_pk>/",
        participants.delegation_add,
        name="delegation-add",
    ),
    path(
        "workshops/<int:pk>/participants/<int:participant_pk>/edit/",
        participants.participant_edit,
        name="participant-edit",
    ),
    path(
        "workshops/<int:pk>/participants/<int:participant_pk>/delete/",
        participants.participant_delete,
        name="participant-delete",
    ),
    path("workshops/<int:pk>/attendance/", participants.attendance, name="attendance"),
    path("workshops/<int:pk>/sheets/", imports.sheet_upload, name="sheet-upload"),
    path("workshops/<int:pk>/sheets/<uuid:job_pk>/", imports.sheet_job, name="sheet-job"),
    path(
        "workshops/<int:pk>/sheets/<uuid:job_pk>/progress/",
        imports.sheet_job_progress,
        name="sheet-job-progress",
    ),
    path(
        "workshops/<int:pk>/sheets/<uuid:job_pk>/confirm/",
        imports.sheet_job_confirm,
        name="sheet-job-confirm",
    ),
    path("workshops/<int:pk>/cancel/", workshops.workshop_cancel, name="cancel"),
    # Public (no login): the evaluation form behind the QR code on a participant's slip.
    path("evaluate/<str:token>/", evaluations.evaluation_form, name="evaluate"),
]

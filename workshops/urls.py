from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("workshops/", views.workshop_list, name="list"),
    path("workshops/calendar/", views.workshop_calendar, name="calendar"),
    path("workshops/new/", views.workshop_create, name="create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="detail"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("workshops/<int:pk>/invite/", views.workshop_invite, name="invite"),
    path("workshops/<int:pk>/delegations/<int:enrolment_pk>/", views.delegation_add,
         name="delegation-add"),
    path("workshops/<int:pk>/participants/<int:participant_pk>/edit/",
         views.participant_edit, name="participant-edit"),
    path("workshops/<int:pk>/participants/<int:participant_pk>/delete/",
         views.participant_delete, name="participant-delete"),
    path("workshops/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("workshops/<int:pk>/cancel/", views.workshop_cancel, name="cancel"),
]

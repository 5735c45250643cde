from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("modules/", views.module_list, name="module-list"),
    path("modules/new/", views.module_edit, name="module-create"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module-edit"),
    path("enterprises/<int:enterprise_pk>/enrol/", views.enrolment_create,
         name="enrolment-create"),
    path("enrolments/<int:pk>/edit/", views.enrolment_edit, name="enrolment-edit"),
    path("enrolments/<int:pk>/status/", views.enrolment_transition,
         name="enrolment-transition"),
]

from django.urls import path

from . import views_visits

app_name = "visits"

urlpatterns = [
    path("<int:pk>/", views_visits.visit_detail, name="detail"),
    path("<int:pk>/record/", views_visits.visit_record, name="record"),
    path("<int:pk>/cancel/", views_visits.visit_cancel, name="cancel"),
    path("enrolment/<int:enrolment_pk>/new/", views_visits.visit_new, name="new"),
]

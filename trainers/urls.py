from django.urls import path

from . import views

app_name = "trainers"

urlpatterns = [
    path("", views.trainer_list, name="list"),
    path("new/", views.trainer_create, name="create"),
    path("schedule/", views.my_schedule, name="my-schedule"),
    path("<int:pk>/", views.trainer_detail, name="detail"),
    path("<int:pk>/edit/", views.trainer_edit, name="edit"),
    path("<int:pk>/certifications/new/", views.certification_edit,
         name="certification-create"),
    path("<int:pk>/certifications/<int:module_pk>/", views.certification_edit,
         name="certification-edit"),
    path("enrolments/<int:pk>/consultants/", views.assignment_add, name="assignment-add"),
    path("consultants/<int:pk>/remove/", views.assignment_remove, name="assignment-remove"),
]

from django.urls import path

from . import views_staff

app_name = "contacts-staff"

urlpatterns = [
    path("<int:pk>/contact/invite/", views_staff.contact_invite, name="invite"),
    path(
        "groups/<int:pk>/contact/invite/",
        views_staff.group_contact_invite,
        name="group-invite",
    ),
]

"""The public verification page (``verify/``) and the staff's certificate pages."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_code, name="verify-code"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/<int:pk>/", views.certificate_detail, name="detail"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path(
        "certificates/trainer/<int:certification_pk>/",
        views.trainer_certificate,
        name="trainer-issue",
    ),
]

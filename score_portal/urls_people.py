from django.urls import path

from . import views_people as views

app_name = "people"

urlpatterns = [
    path("", views.partner_list, name="partner-list"),
    path("partners/new/", views.partner_create, name="partner-create"),
    path("partners/<int:pk>/", views.partner_people, name="partner-people"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("partners/<int:pk>/active/", views.partner_active, name="partner-active"),
    path("partners/<int:pk>/invite/", views.person_invite, name="person-invite"),
    path("memberships/<int:pk>/role/", views.membership_role, name="membership-role"),
    path("memberships/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
]

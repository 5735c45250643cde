"""The composition root of the URLs: every app's ``urls.py`` mounted at its path."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("score_portal.urls")),
    path("", include("catalogue.urls")),
    path("", include("enterprises.urls")),
    path("", include("trainers.urls")),  # trainers/, visits/ and workshops/<pk>/trainers/
    path("", include("workshops.urls")),
    path("reports/", include("reports.urls")),
    path("", include("certificates.urls")),
    path("notifications/", include("notifications.urls")),  # verify/ (public) and certificates/
    path("my/", include("contacts.urls")),  # the enterprise contact's portal
    path("enterprises/", include("contacts.urls_staff")),  # inviting an enterprise's contact
    path("api/v1/", include("api.urls")),
    path("api/tokens/", include("api.urls_tokens")),
    path("webhooks/", include("webhooks.urls")),
    path("admin/", admin.site.urls),
]

# The error pages in the portal's layout and the user's language (score_portal/errors.py).
handler400 = "score_portal.errors.bad_request"
handler403 = "score_portal.errors.permission_denied"
handler404 = "score_portal.errors.page_not_found"
handler500 = "score_portal.errors.server_error"

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
    path("api/v1/", include("api.urls")),
    path("api/tokens/", include("api.urls_tokens")),
    path("admin/", admin.site.urls),
]

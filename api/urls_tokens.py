"""The token pages (namespace ``tokens``), at /api/tokens/."""

from django.urls import path

from .views import tokens

app_name = "tokens"

urlpatterns = [
    path("", tokens.token_page, name="list"),
    path("<int:pk>/revoke/", tokens.token_revoke_view, name="revoke"),
]

from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("modules/", views.module_list, name="module-list"),
    path("modules/new/", views.module_edit, name="module-create"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module-edit"),
]

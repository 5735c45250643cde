from django.urls import path

from . import views

app_name = "catalogue"

# Mounted at the site root: the paths are the ones the pages had before the catalogue app.
urlpatterns = [
    path("modules/", views.module_list, name="module-list"),
    path("modules/new/", views.module_edit, name="module-create"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module-edit"),
    path("enterprises/kpi-catalogue/", views.kpi_list, name="kpi-list"),
    path("enterprises/kpi-catalogue/new/", views.kpi_edit, name="kpi-create"),
    path("enterprises/kpi-catalogue/<int:kpi_pk>/edit/", views.kpi_edit, name="kpi-edit"),
    path("checklists/", views.checklist_list, name="checklist-list"),
    path("checklists/<int:module_pk>/", views.checklist_detail, name="checklist-detail"),
    path(
        "checklists/<int:module_pk>/items/new/",
        views.checklist_item_edit,
        name="checklist-item-create",
    ),
    path(
        "checklists/<int:module_pk>/items/<int:item_pk>/edit/",
        views.checklist_item_edit,
        name="checklist-item-edit",
    ),
    path(
        "checklists/<int:module_pk>/items/<int:item_pk>/remove/",
        views.checklist_item_remove,
        name="checklist-item-remove",
    ),
    path("evaluation-questions/", views.evaluation_question_list, name="evaluation-question-list"),
    path(
        "evaluation-questions/new/",
        views.evaluation_question_edit,
        name="evaluation-question-create",
    ),
    path(
        "evaluation-questions/<int:question_pk>/edit/",
        views.evaluation_question_edit,
        name="evaluation-question-edit",
    ),
]

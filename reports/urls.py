from django.urls import path

from . import views, views_dashboard, views_evaluations, views_subscriptions, views_targets

app_name = "reports"

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("table/", views.run_table, name="run-table"),
    path("new/", views.run_create, name="run-create"),
    path("workshop/<int:workshop_pk>/", views.workshop_pack, name="workshop-pack"),
    path("group/<int:group_pk>/", views.group_report, name="group-report"),
    path("<uuid:pk>/retry/", views.run_retry, name="run-retry"),
    path("<uuid:pk>/pdf/", views.run_download, {"fmt": "pdf"}, name="run-download"),
    path("<uuid:pk>/xlsx/", views.run_download, {"fmt": "xlsx"}, name="run-download-xlsx"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path(
        "dashboard/<int:partner_pk>/attention/",
        views_dashboard.dashboard_attention,
        name="dashboard-attention",
    ),
    path("indicators/", views_dashboard.indicator_list, name="indicator-list"),
    path("indicators/<slug:code>/", views_dashboard.indicator_detail, name="indicator-detail"),
    path("evaluations/", views_evaluations.evaluation_results_page, name="evaluations"),
    path("targets/", views_targets.target_list, name="target-list"),
    path("targets/actuals/", views_targets.target_actuals, name="target-actuals"),
    path("targets/<int:partner_pk>/<int:year>/", views_targets.target_edit, name="target-edit"),
    path(
        "targets/<int:partner_pk>/<int:year>/copy/",
        views_targets.target_copy,
        name="target-copy",
    ),
    path(
        "targets/<int:partner_pk>/over-time/",
        views_targets.target_partner,
        name="target-partner",
    ),
    path(
        "targets/<int:partner_pk>/over-time/xlsx/",
        views_targets.target_partner_xlsx,
        name="target-partner-xlsx",
    ),
    path("subscriptions/", views_subscriptions.subscription_list, name="subscription-list"),
    path(
        "subscriptions/new/",
        views_subscriptions.subscription_create,
        name="subscription-create",
    ),
    path(
        "subscriptions/<int:pk>/",
        views_subscriptions.subscription_edit,
        name="subscription-edit",
    ),
    path(
        "subscriptions/<int:pk>/preview/",
        views_subscriptions.subscription_preview,
        name="subscription-preview",
    ),
    path(
        "subscriptions/<int:pk>/run/",
        views_subscriptions.subscription_run,
        name="subscription-run",
    ),
    path(
        "subscriptions/<int:pk>/delete/",
        views_subscriptions.subscription_delete,
        name="subscription-delete",
    ),
]

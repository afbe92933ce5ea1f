"""The dashboard and report of a dataset. Included by vcsehub/impact/urls.py (app "impact")."""

from django.urls import path

from vcsehub.impact import dashboard_views as views

urlpatterns = [
    path(
        "<slug:org_slug>/datasets/<int:dataset_id>/dashboard/",
        views.dashboard,
        name="dashboard",
    ),
    path(
        "<slug:org_slug>/datasets/<int:dataset_id>/dashboard.csv",
        views.dashboard_csv,
        name="dashboard_csv",
    ),
    path("<slug:org_slug>/datasets/<int:dataset_id>/report/", views.report, name="report"),
    path(
        "<slug:org_slug>/datasets/<int:dataset_id>/report.pdf",
        views.report_pdf,
        name="report_pdf",
    ),
]

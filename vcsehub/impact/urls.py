from django.urls import path

from vcsehub.impact import dashboard_urls, views

app_name = "impact"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.organisation_datasets, name="organisation"),
    path("<slug:slug>/upload/", views.upload_new, name="upload"),
    path("<slug:slug>/uploads/<int:pk>/columns/", views.upload_columns, name="upload_columns"),
    path("<slug:slug>/uploads/<int:pk>/checks/", views.upload_checks, name="upload_checks"),
    path(
        "<slug:slug>/uploads/<int:pk>/checks.csv",
        views.upload_checks_csv,
        name="upload_checks_csv",
    ),
    path("<slug:slug>/uploads/<int:pk>/save/", views.upload_confirm, name="upload_confirm"),
    path("<slug:slug>/uploads/<int:pk>/discard/", views.upload_discard, name="upload_discard"),
    path("<slug:slug>/datasets/<int:pk>/", views.dataset_detail, name="dataset"),
    path("<slug:slug>/datasets/<int:pk>/compare/", views.dataset_compare, name="dataset_compare"),
    path("<slug:slug>/datasets/<int:pk>/delete/", views.dataset_delete, name="dataset_delete"),
    # The dashboard and the report (dashboard_urls.py).
    *dashboard_urls.urlpatterns,
]

"""Reading datasets, uploads and records, always through the access gate.

`dataset_get_for_user` and `upload_get_for_user` answer 404 (never 403) to anyone who
may not do `need` to the owner organisation, so a dataset's existence is not revealed.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404

from vcsehub.impact.models import Dataset, Record, Upload
from vcsehub.organisations.models import Organisation
from vcsehub.sharing import access
from vcsehub.sharing.access import Need


def dataset_get_for_user(user, dataset_id: int, need: Need = Need.VIEW) -> Dataset:
    """The dataset if the user may do `need` to its organisation; otherwise Http404."""
    dataset = Dataset.objects.select_related("organisation").filter(pk=dataset_id).first()
    if dataset is None or not access.has_need(user, dataset.organisation, need):
        raise Http404("No dataset found")
    return dataset


def upload_get_for_user(user, upload_id: int, need: Need = Need.VIEW) -> Upload:
    """The upload if the user may do `need` to its organisation; otherwise Http404."""
    upload = Upload.objects.select_related("organisation", "dataset").filter(pk=upload_id).first()
    if upload is None or not access.has_need(user, upload.organisation, need):
        raise Http404("No upload found")
    return upload


def records_for_dataset(dataset: Dataset) -> QuerySet[Record]:
    """Every stored record of the dataset, oldest contact first."""
    return Record.objects.filter(dataset=dataset).order_by(
        "contact_date", "upload_id", "row_number"
    )


def datasets_for_organisation(*, organisation: Organisation) -> QuerySet[Dataset]:
    """The organisation's datasets with their record and upload counts, by name."""
    return (
        Dataset.objects.filter(organisation=organisation)
        .annotate(
            record_count=Count("records", distinct=True),
            first_date=Min("records__contact_date"),
            last_date=Max("records__contact_date"),
        )
        .order_by("name")
    )


def datasets_for_user(*, user) -> QuerySet[Dataset]:
    """Datasets of every organisation whose data the user may see."""
    return (
        Dataset.objects.filter(organisation__in=access.organisations_visible_to(user))
        .select_related("organisation")
        .annotate(record_count=Count("records"))
        .order_by("organisation__name", "name")
    )


def uploads_for_dataset(*, dataset: Dataset) -> QuerySet[Upload]:
    return Upload.objects.filter(dataset=dataset).order_by("-created_at")


def uploads_waiting(*, organisation: Organisation) -> QuerySet[Upload]:
    """Uploads read and checked but not yet saved or discarded."""
    return Upload.objects.filter(organisation=organisation, status=Upload.Status.CHECKING).order_by(
        "-created_at"
    )


def dataset_period_counts(*, dataset: Dataset, start: date, end: date) -> dict:
    """People reached (distinct references) and contacts between two dates, inclusive.

    Contacts are stored rows with a date in the period. People are the distinct
    pseudonymised references among them; rows without a reference count as contacts
    only, and their number is given as `contacts_without_person`.
    """
    rows = Record.objects.filter(
        dataset=dataset, contact_date__gte=start, contact_date__lte=end
    ).aggregate(
        contacts=Count("id"),
        people=Count("person_key", distinct=True, filter=~Q(person_key="")),
        without=Count("id", filter=Q(person_key="")),
    )
    return {
        "start": start,
        "end": end,
        "contacts": rows["contacts"],
        "people": rows["people"],
        "contacts_without_person": rows["without"],
    }


def dataset_dates(*, dataset: Dataset) -> dict:
    """First and last contact date stored, and how many stored rows have no date."""
    found = Record.objects.filter(dataset=dataset).aggregate(
        first=Min("contact_date"),
        last=Max("contact_date"),
        total=Count("id"),
        undated=Count("id", filter=Q(contact_date__isnull=True)),
    )
    return found

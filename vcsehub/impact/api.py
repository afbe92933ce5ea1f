"""Impact API: a dataset's summary and its dashboard figures, for its organisation's members.

Token auth (`Authorization: Bearer …`). Anyone who is not a member of the dataset's
organisation gets 404, the same answer as for a dataset that does not exist.
"""

from __future__ import annotations

from ninja import Router

from vcsehub.impact import selectors
from vcsehub.impact.dashboard import dashboard_figures
from vcsehub.impact.schemas import DatasetOut, ImpactErrorOut
from vcsehub.organisations.api_auth import bearer_auth
from vcsehub.sharing.access import Need

router = Router(tags=["Impact"])


@router.get(
    "/datasets/{dataset_id}",
    auth=bearer_auth,
    response={200: DatasetOut, 401: ImpactErrorOut, 404: ImpactErrorOut},
    url_name="dataset",
    summary="One of your organisation's datasets: its uploads and periods",
    description="404 if there is no such dataset or you are not a member of its organisation.",
)
def dataset(request, dataset_id: int):
    found = selectors.dataset_get_for_user(request.auth, dataset_id, Need.VIEW)
    dates = selectors.dataset_dates(dataset=found)
    return {
        "id": found.pk,
        "name": found.name,
        "organisation": found.organisation.slug,
        "records": dates["total"],
        "first_date": dates["first"],
        "last_date": dates["last"],
        "mapping": found.mapping,
        "uploads": list(selectors.uploads_for_dataset(dataset=found)),
    }


@router.get(
    "/datasets/{dataset_id}/dashboard",
    auth=bearer_auth,
    response={200: dict, 401: ImpactErrorOut, 404: ImpactErrorOut},
    url_name="dataset_dashboard",
    summary="A dataset's dashboard figures",
    description=(
        "The same figures as the dashboard page, small counts suppressed. 404 if there is "
        "no such dataset or you are not a member of its organisation."
    ),
)
def dataset_dashboard(request, dataset_id: int):
    found = selectors.dataset_get_for_user(request.auth, dataset_id, Need.VIEW)
    return dashboard_figures(found)

"""The JSON API at /api/v1/: each app contributes one router from its api.py."""

from ninja import NinjaAPI

from vcsehub.charities.api import router as charities_router
from vcsehub.geography.api import router as geography_router
from vcsehub.grants.api import router as grants_router
from vcsehub.impact.api import router as impact_router
from vcsehub.organisations.api import router as organisations_router
from vcsehub.sources.api import router as sources_router

api = NinjaAPI(
    title="VCSE Hub API",
    version="1",
    description=(
        "Open data about the UK voluntary and community sector, and organisations' own "
        "figures. Public data needs no token; organisation data needs "
        "`Authorization: Bearer <token>` (create one with `vcsehub token create`)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", sources_router)
api.add_router("/", organisations_router)
api.add_router("/", geography_router)
api.add_router("/", charities_router)
api.add_router("/", grants_router)
api.add_router("/", impact_router)

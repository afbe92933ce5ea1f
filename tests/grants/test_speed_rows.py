"""The fast row writer (importers/rows.py) stores exactly what normalise.grant produced.

Grants are written with COPY or executemany instead of the ORM, so every field of every
grant, and every beneficiary location, is read back through the ORM and compared with
normalise's output for the same file, on both databases.
"""

from __future__ import annotations

import pytest

from vcsehub.grants import normalise
from vcsehub.grants.models import Grant, GrantLocation
from vcsehub.grants.reading import read_grant_file
from vcsehub.grants.selectors import standard_current
from vcsehub.grants.services import grant_file_import
from vcsehub.sources.models import ImportRun

FILES = [
    "grantnav-2016-sample/baring.json",  # grants to organisations, with locations
    "dataquality-tools-data/a003W000001B7PzQAK.xlsx",  # a spreadsheet, with dates and numbers
    "grantnav-2016-sample/IndigoTrust_360giving.csv",
]


@pytest.mark.django_db
@pytest.mark.parametrize("relative", FILES, ids=[f.split("/")[-1] for f in FILES])
def test_every_field_is_stored_as_normalised(standard, grants_dir, relative):
    path = grants_dir / relative
    run = grant_file_import(location=path, dataset="rows")
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    expected = {}
    schema = standard_current().schema
    for record in read_grant_file(path, name=path.name, schema=schema).grants():
        result = normalise.grant(record.data)
        if not result.rejected:
            expected.setdefault(result.fields["identifier"], result)
    stored = {g.identifier: g for g in Grant.objects.filter(dataset__identifier="rows")}
    assert set(stored) == set(expected)
    locations = {}
    for place in GrantLocation.objects.filter(grant__dataset__identifier="rows").select_related(
        "grant"
    ):
        locations.setdefault(place.grant.identifier, []).append(
            (place.geo_code, place.geo_code_type, place.name)
        )
    checked = 0
    for identifier, result in expected.items():
        grant = stored[identifier]
        for name, value in result.fields.items():
            assert getattr(grant, name) == value, (identifier, name)
            assert type(getattr(grant, name)) is type(value), (identifier, name)
            checked += 1
        assert grant.run_id == run.pk
        assert grant.funder is not None and grant.funder.org_id == result.fields["funder_org_id"]
        want = sorted((p["geo_code"], p["geo_code_type"], p["name"]) for p in result.locations)
        assert sorted(locations.get(identifier, [])) == want, identifier
    assert checked > 1000


@pytest.mark.django_db
def test_a_second_import_gets_new_ids_and_keeps_nothing_of_the_first(standard, grants_dir):
    path = grants_dir / "grantnav-2016-sample/baring.json"
    first = grant_file_import(location=path, dataset="again")
    first_ids = set(Grant.objects.filter(dataset__identifier="again").values_list("id", flat=True))
    second = grant_file_import(location=path, dataset="again")
    assert second.status == ImportRun.Status.SUCCEEDED, second.error
    grants = Grant.objects.filter(dataset__identifier="again")
    assert grants.count() == 53
    assert set(grants.values_list("run_id", flat=True)) == {second.pk}
    assert first.pk != second.pk
    assert not first_ids & set(grants.values_list("id", flat=True))
    # The ORM can still add a grant after ids were chosen by the writer.
    extra = Grant.objects.create(
        dataset=grants.first().dataset,
        run=second,
        identifier="extra",
        amount_awarded=1,
        recipient_type="organisation",
    )
    assert extra.pk > max(grants.exclude(pk=extra.pk).values_list("id", flat=True))

"""Every area's charity counts, stored at import time (area_counts.py), against counting them.

The stored counts must give exactly what profile.py counts for one area, for every area of
the real samples (with some CCEW charities moved to real Birmingham postcodes: patch_data),
be refreshed by each import, never be used once the data changed without them, and be left
as they were by an import that fails.
"""

from __future__ import annotations

from dataclasses import asdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.charities.patch_data import BIRMINGHAM, patch_fixture  # noqa: F401
from vcsehub.charities import area_counts, profile
from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.importers.ccni import CcniImporter
from vcsehub.charities.importers.lookups import AreaLookupImporter
from vcsehub.charities.models import AreaCharityCounts, AreaOfOperation, Charity, Classification
from vcsehub.charities.services import organisation_place_all
from vcsehub.geography.models import Area, AreaType
from vcsehub.sources.errors import DataError

pytestmark = pytest.mark.django_db


def import_ccni(ccni_path):
    run = CcniImporter(locations=[ccni_path]).run()
    assert run.status == "succeeded", run.error
    return run


def counted(area: Area) -> dict:
    """The area's counts as profile.py counts them itself (one area at a time)."""
    works_code = area.code if area.type == AreaType.LAD else area.lad_code
    return {
        "based": asdict(
            profile._group(
                profile.BASED,
                profile.area_charities(area=area, mode=profile.BASED),
                with_lsoas=True,
            )
        ),
        "works": asdict(
            profile._group(
                profile.WORKS,
                profile.area_charities(area=area, mode=profile.WORKS),
                with_lsoas=False,
            )
        ),
        "not_placed": asdict(profile.not_placed_counts()),
        "works_code": works_code,
    }


def stored(area: Area) -> dict | None:
    works_code = area.code if area.type == AreaType.LAD else area.lad_code
    found = area_counts.stored_counts(
        based_scope=area_counts.LAD if area.type == AreaType.LAD else area_counts.WARD,
        based_code=area.code,
        works_code=works_code,
    )
    if found is None:
        return None
    return {
        "based": asdict(found.based),
        "works": asdict(found.works),
        "not_placed": asdict(found.not_placed),
        "works_code": works_code,
    }


def areas_to_check() -> list[Area]:
    """Every local authority and ward with charities based or working there, and a few
    without any."""
    codes = set(Charity.objects.values_list("lad_code", flat=True))
    codes |= set(Charity.objects.values_list("ward_code", flat=True))
    codes |= set(AreaOfOperation.objects.values_list("gss_code", flat=True))
    types = (AreaType.LAD, AreaType.WARD)
    with_charities = list(Area.objects.filter(type__in=types, code__in=codes - {""}))
    without = list(Area.objects.filter(type__in=types).exclude(code__in=codes).order_by("code")[:5])
    return with_charities + without


def api_profile(client, code: str) -> dict:
    profile._cache.clear()  # the memory cache only: the stored counts stay
    return client.get(f"/api/v1/areas/{code}/profile").json()


def test_an_import_stores_counts_equal_to_counting_every_area(patch, ccni_path, client):
    import_ccni(ccni_path)
    areas = areas_to_check()
    wards = [a for a in areas if a.type == AreaType.WARD and a.lad_code == BIRMINGHAM]
    assert len(areas) > 50 and wards  # the samples place charities in many areas
    for area in areas:
        found = stored(area)
        assert found is not None, area.code
        expected = counted(area)
        assert found == expected, [
            (group, name, found[group][name], expected[group][name])
            for group in ("based", "works", "not_placed")
            for name in found[group]
            if found[group][name] != expected[group][name]
        ]
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    assert stored(birmingham)["based"]["active"] == 12  # the moved charities (patch_data)


def test_profile_page_csv_and_api_are_the_same_from_stored_counts(patch, ccni_path, client):
    import_ccni(ccni_path)
    ward = Charity.objects.get(org_id=patch.moved[0]).ward_code
    for code in (BIRMINGHAM, ward):
        from_stored = api_profile(client, code)
        csv_stored = client.get(f"/charities/area/{code}/profile.csv").content
        page_stored = client.get(f"/charities/area/{code}/").content
        area_counts.area_counts_clear()
        assert stored(Area.objects.get(code=code)) is None
        assert api_profile(client, code) == from_stored
        assert client.get(f"/charities/area/{code}/profile.csv").content == csv_stored
        assert client.get(f"/charities/area/{code}/").content == page_stored
        import_ccni(ccni_path)


def test_a_re_import_refreshes_the_counts(patch, ccni_path, ccew_paths):
    import_ccni(ccni_path)
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    before = stored(birmingham)
    assert before["based"]["active"] == 12
    # The CCEW sample again: its own (fake) postcodes come back, so Birmingham loses the
    # charities patch_data moved there.
    run = CcewImporter(locations=ccew_paths).run()
    assert run.status == "succeeded", run.error
    after = stored(birmingham)
    assert after is not None and after != before
    assert after == counted(birmingham)
    assert after["based"]["active"] == 0


def test_charities_placed_again_are_counted_not_read_from_old_counts(patch, ccni_path, client):
    import_ccni(ccni_path)
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    assert stored(birmingham)["based"]["active"] == 12
    charity = Charity.objects.filter(status="registered", lad_code="").exclude(postcode="").first()
    Charity.objects.filter(pk=charity.pk).update(postcode=patch.postcodes[0])
    organisation_place_all()  # a geography change of the charity: its place changed in place
    assert stored(birmingham) is None
    answer = api_profile(client, BIRMINGHAM)
    counts = next(f for f in answer["figures"] if f["key"] == "counts")
    assert next(r for r in counts["rows"] if r["label"] == "Active charities")["values"][0] == 13
    import_ccni(ccni_path)  # (placing every register again keeps the move)
    assert stored(birmingham) == counted(birmingham)
    assert stored(birmingham)["based"]["active"] == 13


def test_a_ward_moved_to_another_local_authority_works_in_its_new_one(patch, ccni_path, client):
    import_ccni(ccni_path)
    ward = Area.objects.get(code=Charity.objects.get(org_id=patch.moved[0]).ward_code)
    other = (
        Area.objects.filter(type=AreaType.LAD, code__in=AreaOfOperation.objects.values("gss_code"))
        .exclude(code=BIRMINGHAM)
        .order_by("code")
        .first()
    )
    Area.objects.filter(pk=ward.pk).update(lad_code=other.code)
    ward.refresh_from_db()
    assert stored(ward) == counted(ward)
    answer = api_profile(client, ward.code)
    assert answer["works_in_area"] == other.code
    counts = next(f for f in answer["figures"] if f["key"] == "counts")
    works = counted(ward)["works"]["active"]
    assert next(r for r in counts["rows"] if r["label"] == "Active charities")["values"][1] == works


def test_rows_added_outside_an_import_make_stored_counts_unused(patch, ccni_path):
    import_ccni(ccni_path)
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    assert stored(birmingham) is not None
    moved = Charity.objects.get(org_id=patch.moved[0])
    moved.pk, moved.org_id = None, moved.org_id + "-copy"
    moved.save()
    assert stored(birmingham) is None
    profile._cache.clear()
    assert profile.area_profile_data(area=birmingham).based.active == 13


def test_rows_deleted_in_place_are_counted_after_clearing(patch, ccni_path):
    import_ccni(ccni_path)
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    Charity.objects.filter(org_id=patch.moved[0]).delete()
    profile.area_profile_cache_clear()  # as code that changes rows in place must
    assert stored(birmingham) is None
    assert profile.area_profile_data(area=birmingham).based.active == 11


def test_a_new_area_of_operation_lookup_counts_the_areas_again(patch, ccni_path):
    import_ccni(ccni_path)
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    before = set(AreaCharityCounts.objects.values_list("id", flat=True))
    key_before = AreaCharityCounts.objects.values_list("data_key", flat=True).first()
    assert stored(birmingham) is not None
    run = AreaLookupImporter(data_dir=patch.data_dir).run()  # recodes areas of operation
    assert run.status == "succeeded", run.error
    # Worked out again in the lookup's import (new rows, under the new data key) ...
    assert not before & set(AreaCharityCounts.objects.values_list("id", flat=True))
    assert stored(birmingham) == counted(birmingham)
    # ... under a key that names the new lookup import.
    assert AreaCharityCounts.objects.values_list("data_key", flat=True).first() != key_before


class CcniImporterFailingAtTheEnd(CcniImporter):
    """The real CCNI import, failing after its counts were worked out (as a late check would)."""

    def finish(self, run):
        super().finish(run)
        raise DataError("failed after the counts were worked out", fix="(test)")


def test_a_failed_import_leaves_the_previous_counts(patch, ccni_path):
    import_ccni(ccni_path)
    before = sorted(AreaCharityCounts.objects.values_list("id", "scope", "area_code", "counts"))
    # A refresh replaces every row (new ids): after the failure, the old rows are back.
    run = CcniImporterFailingAtTheEnd(locations=[ccni_path]).run()
    assert run.status == "failed"
    after = sorted(AreaCharityCounts.objects.values_list("id", "scope", "area_code", "counts"))
    assert after == before
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    assert stored(birmingham) == counted(birmingham)


def test_the_profile_reads_stored_counts_instead_of_counting(patch, ccni_path):
    import_ccni(ccni_path)
    birmingham = Area.objects.get(type=AreaType.LAD, code=BIRMINGHAM)
    profile._cache.clear()
    with CaptureQueriesContext(connection) as queries:
        data = profile.area_profile_data(area=birmingham)
    assert data.based.active == 12
    counting = [q["sql"] for q in queries if "COUNT(DISTINCT" in q["sql"].upper()]
    assert not counting  # profile.py counts the causes with COUNT(DISTINCT …)


def test_an_area_or_category_named_twice_is_counted_once(patch):
    lads = Area.objects.filter(type=AreaType.LAD).values("code")
    named = AreaOfOperation.objects.filter(charity__status="registered", gss_code__in=lads)[0]
    category = Classification.objects.filter(charity_id=named.charity_id, kind="what")[0]
    for row in (named, category):
        row.pk = None
        row.save()  # the charity names the same area, and the same category, twice
    area_counts.area_counts_refresh()
    area = Area.objects.get(type=AreaType.LAD, code=named.gss_code)
    assert stored(area) == counted(area)

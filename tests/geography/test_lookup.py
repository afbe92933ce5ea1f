"""Postcode lookups against real, imported data (hand-checked against the source files)."""

from __future__ import annotations

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vcsehub.geography import selectors
from vcsehub.geography.lookup import postcode_lookup, postcodes_lookup
from vcsehub.geography.models import Deprivation, Postcode

pytestmark = pytest.mark.django_db
BIRMINGHAM = "E08000025"


def test_birmingham_postcode_from_the_derived_file(postcodes_loaded):
    result = postcode_lookup("b11aa")
    assert result.found and result.status == "ok"
    assert result.postcode == "B1 1AA"
    assert (result.lsoa11, result.lsoa21) == ("E01033625", "E01033625")
    assert result.lsoa11_name == "Birmingham 138D"
    assert (result.ward_code, result.ward_name, result.ward_year) == ("E05011151", "Ladywood", 2025)
    assert (result.lad_code, result.lad_name) == (BIRMINGHAM, "Birmingham")
    assert (result.region_code, result.region_name) == ("E12000005", "West Midlands")
    assert result.country_code == "E92000001"
    # IoD2019 File 1: rank "20,275", decile 7; IoD2025: rank 27277, decile 9.
    assert (result.imd2019_rank, result.imd2019_decile) == (20275, 7)
    assert (result.imd2025_rank, result.imd2025_decile) == (27277, 9)
    assert result.wimd2019_decile is None
    assert [s.id for s in result.sources] == ["postcodes-derived-lsoa-wmca"]
    assert result.sources[0].derived
    assert {"lsoa11", "lsoa21", "ward_code"} <= set(result.derived_fields)
    assert "not published by ONS" in result.reason


def test_terminated_telford_postcode_says_where_it_was(postcodes_loaded):
    result = postcode_lookup("TF1 1AB")
    assert result.found
    assert result.status == "terminated"
    assert result.terminated == "199912"
    assert "withdrawn in December 1999" in result.reason
    assert "Telford and Wrekin" in result.reason
    assert result.lsoa11 == "E01014133"
    assert (result.imd2019_rank, result.imd2019_decile) == (16863, 6)
    assert result.sources[0].id == "nspl" and not result.sources[0].derived
    assert result.derived_fields == []


def test_welsh_postcode_gets_wimd_not_imd(postcodes_loaded):
    result = postcode_lookup("HR3 5AA")
    assert result.status == "outside_england"
    assert result.lsoa11 == "W01000446"
    assert result.lad_name == "Powys"
    assert result.imd2019_decile is None and result.imd2025_decile is None
    assert (result.wimd2019_decile, result.wimd2019_rank) == (9, 1578)
    assert "Wales" in result.reason and "Welsh Index" in result.reason


def test_invalid_and_unknown_postcodes_say_why(postcodes_loaded):
    invalid, unknown = postcodes_lookup(["not a postcode", "ZE1 0AA"])
    assert (invalid.valid, invalid.found, invalid.status) == (False, False, "invalid")
    assert "Not a valid postcode" in invalid.reason
    assert (unknown.valid, unknown.found, unknown.status) == (True, False, "not_found")
    assert "not in the postcode directories loaded" in unknown.reason


def test_batch_keeps_input_order_and_duplicates_with_few_queries(postcodes_loaded):
    wanted = list(
        Postcode.objects.filter(source_id="nspl")
        .order_by("-postcode")
        .values_list("postcode", flat=True)[:1200]
    )
    asked = [*wanted, "bad", wanted[0].lower().replace(" ", "")]
    with CaptureQueriesContext(connection) as queries:
        results = postcodes_lookup(asked)
    assert [r.postcode for r in results[:1200]] == wanted
    assert results[-1].postcode == wanted[0] and results[-1].found
    assert results[-2].status == "invalid"
    # 1,200 postcodes: 3 postcode queries plus a handful for names and deprivation.
    postcode_queries = [q for q in queries.captured_queries if "geography_postcode" in q["sql"]]
    assert len(postcode_queries) == 3
    assert len(queries.captured_queries) <= 12


def test_batch_leaves_the_garbage_collector_as_it_was(postcodes_loaded):
    wanted = list(Postcode.objects.values_list("postcode", flat=True)[:50])
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert all(r.found for r in postcodes_lookup(wanted))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.freeze()  # a program's own frozen objects must stay frozen
    try:
        assert all(r.found for r in postcodes_lookup(wanted))
        # Some frozen objects may be freed meanwhile; unfreezing would leave none at all.
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_nspl_imd_column_equals_iod2019_file1_rank_for_every_english_postcode(postcodes_loaded):
    pairs = Postcode.objects.filter(source_id="nspl", lsoa11__startswith="E01").values_list(
        "postcode", "lsoa11", "imd_rank_in_file"
    )
    ranks = dict(Deprivation.objects.filter(index="imd2019").values_list("area_code", "rank"))
    checked = 0
    for postcode, lsoa11, rank in pairs:
        assert ranks[lsoa11] == rank, postcode
        checked += 1
    assert checked == 17_047


def test_lookup_of_every_english_nspl_postcode_matches_its_rank(postcodes_loaded):
    rows = list(
        Postcode.objects.filter(source_id="nspl", lsoa11__startswith="E01").values_list(
            "postcode", "imd_rank_in_file"
        )
    )
    results = postcodes_lookup([p for p, _ in rows])
    assert [r.imd2019_rank for r in results] == [rank for _, rank in rows]


def test_birmingham_lsoas_by_imd2019_decile(postcodes_loaded):
    rows, missing = selectors.deprivation_for_lad(index="imd2019", lad_code=BIRMINGHAM)
    assert len(rows) == 639 and missing == 0
    assert sum(1 for r in rows if r.decile == 1) == 264
    assert sum(1 for r in rows if r.decile <= 2) == 360


def test_birmingham_population_in_deciles_1_and_2_of_imd2019(postcodes_loaded):
    rows, _ = selectors.deprivation_for_lad(index="imd2019", lad_code=BIRMINGHAM)
    population = selectors.population_for(edition="mid2015", area_codes=[r.area_code for r in rows])
    total = sum(p.total for p in population.values())
    deprived = sum(population[r.area_code].total for r in rows if r.decile <= 2)
    assert round(100 * deprived / total, 1) == 58.2


def test_birmingham_census_population(postcodes_loaded):
    figure = selectors.population_for_lad(edition="census2021", lad_code=BIRMINGHAM)
    assert figure.total == 1_144_903
    assert figure.areas_counted == 659 and figure.areas_missing == 0
    assert sum(figure.by_age.values()) == figure.total


def test_selectors_for_area_pages(postcodes_loaded):
    birmingham = selectors.area_get(code=BIRMINGHAM)
    assert birmingham.name == "Birmingham" and birmingham.region_code == "E12000005"
    assert birmingham.cauth_code == "E47000007"
    assert selectors.lsoas_for_lad(lad_code=BIRMINGHAM, vintage=2021).count() == 659
    assert selectors.wards_for_lad(lad_code=BIRMINGHAM).count() == 69
    assert "E01033625" in selectors.lsoa21_for_lsoa11(lsoa11="E01033625")
    with pytest.raises(ValueError):
        selectors.lsoas_for_lad(lad_code=BIRMINGHAM, vintage=2015)

"""The search page, organisation pages and their JSON and CSV versions (real samples)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest

from tests.charities.patch_data import patch_fixture  # noqa: F401
from vcsehub.charities.models import Charity, FinancialYear, OrgIdLink

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(response.content.decode("utf-8-sig").splitlines()))


# -- done when: search "cancer" in Northern Ireland and open a real CCNI charity's page --------


def test_cancer_in_northern_ireland_then_open_the_charity(patch, client):
    page = client.get("/charities/", {"q": "cancer", "register": "ccni"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "3 charities found" in html
    links = re.findall(r'href="(/charities/GB-NIC-\d+/)">([^<]+)</a>', html)
    assert {name for _, name in links} == {
        "Cancer Lifeline",
        "Charis Cancer Care",
        "Lilac Cancer Support Ltd",
    }
    url = {name: url for url, name in links}["Cancer Lifeline"]
    charity = client.get(url)
    text = charity.content.decode()
    assert charity.status_code == 200
    assert "<h1>Cancer Lifeline</h1>" in text
    assert "Northern Ireland charity number 100002" in text
    assert "Charity Commission for Northern Ireland" in text  # source and attribution
    assert "Open Government Licence" in text


def test_search_page_works_without_a_query_and_shows_the_form(patch, client):
    html = client.get("/charities/").content.decode()
    assert 'method="get"' in html and 'name="q"' in html
    # Works without JavaScript: a plain GET form; the only script is the site-wide,
    # optional one that lets keyboard users scroll wide tables.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/vcsehub/scroll-regions.js" defer>']
    assert "charities found" not in html


def test_filters_and_counts_per_filter_value(patch, client):
    html = client.get("/charities/", {"register": "ccni", "status": "removed"}).content.decode()
    removed = Charity.objects.filter(register="ccni", status="removed").count()
    assert f"{removed} charities found" in html
    assert "Register: Northern Ireland" in html and "Status: removed" in html
    # facet counts with links that add the filter
    html = client.get("/charities/", {"q": "cancer"}).content.decode()
    assert re.search(r"Northern Ireland</a> <span class=\"count\">\(3\)</span>", html)


def test_local_authority_filter_based_in_and_works_in(patch, client):
    based = client.get("/charities/", {"lad": "E08000025", "lad_mode": "based"}).content.decode()
    assert "12 charities found" not in based  # removed ones are included unless filtered
    count = Charity.objects.filter(lad_code="E08000025").count()
    assert f"{count} charities found" in based
    assert "Based in Birmingham (E08000025) (registered postcode)" in based
    works = client.get("/charities/", {"lad": "E08000025", "lad_mode": "works"}).content.decode()
    assert "Works in Birmingham (E08000025)" in works


def test_exact_number_comes_first(patch, client):
    html = client.get("/charities/", {"q": "100002"}).content.decode()
    first = re.search(r'href="/charities/(GB-[A-Z]+-\d+)/"', html).group(1)
    assert first == "GB-NIC-100002"


def test_bad_filter_is_a_form_error_not_a_crash(patch, client):
    page = client.get("/charities/", {"register": "mars"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()


def test_paging(patch, client):
    first = client.get("/charities/", {"register": "ccni"}).content.decode()
    assert "Page 1 of 19" in first and "page=2" in first
    second = client.get("/charities/", {"register": "ccni", "page": 2}).content.decode()
    names = lambda html: re.findall(r'href="/charities/(GB-NIC-\d+)/"', html)  # noqa: E731
    assert names(first) and not set(names(first)) & set(names(second))


# -- CSV downloads are formula-injection safe ------------------------------------------------------


def test_search_csv_neutralises_formulas_and_keeps_negative_numbers(patch, client):
    charity = Charity.objects.get(org_id="GB-NIC-100002")
    Charity.objects.filter(pk=charity.pk).update(
        name='=HYPERLINK("http://evil.example","Cancer")', latest_income=Decimal("-250.00")
    )
    rows = read_csv(client.get("/charities/results.csv", {"q": "GB-NIC-100002"}))
    header, first = rows[0], rows[1]
    assert header[:2] == ["org_id", "name"]
    assert first[0] == "GB-NIC-100002"
    assert first[1] == '\'=HYPERLINK("http://evil.example","Cancer")'
    assert first[header.index("latest_income")] == "-250.00"


def test_organisation_csv_is_safe_too(patch, client):
    charity = Charity.objects.get(org_id="GB-NIC-100002")
    Charity.objects.filter(pk=charity.pk).update(name="=cmd|' /C calc'!A0")
    rows = read_csv(client.get("/charities/GB-NIC-100002.csv"))
    assert ["organisation", "name", "'=cmd|' /C calc'!A0"] in rows


# -- organisation pages ---------------------------------------------------------------------------


def test_hostile_names_are_escaped(patch, client):
    Charity.objects.filter(org_id="GB-NIC-100002").update(name="<script>alert('x')</script>")
    html = client.get("/charities/GB-NIC-100002/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    search = client.get("/charities/", {"q": "100002"}).content.decode()
    assert "<script>alert" not in search


def test_ccew_page_shows_money_linked_charities_and_company_link(patch, client):
    charity = (
        Charity.objects.filter(register="ccew", linked_charities__isnull=False)
        .exclude(company_number="")
        .distinct()
        .first()
    )
    if charity is None:  # the sample has both kinds, but not always on one charity
        charity = Charity.objects.filter(register="ccew", linked_charities__isnull=False).first()
    html = client.get(f"/charities/{charity.org_id}/").content.decode()
    assert "Main charity, with" in html
    assert "Linked charities (subsidiaries or group members)" in html
    linked = charity.linked_charities.first()
    assert f"{charity.registered_number}-{linked.linked_number}" in html
    with_money = (
        Charity.objects.filter(register="ccew", financial_years__isnull=False).distinct().first()
    )
    html = client.get(f"/charities/{with_money.org_id}/").content.decode()
    years = FinancialYear.objects.filter(charity=with_money).order_by("-period_end")[:5]
    assert "<svg" in html and 'class="summary"' in html
    for year in years:
        assert f"Year ending {year.period_end.day} {year.period_end:%B %Y}" in html


def test_linked_org_ids_say_why(patch, client):
    company = Charity.objects.filter(register="ccew").exclude(company_number="").first()
    html = client.get(f"/charities/{company.org_id}/").content.decode()
    assert f"GB-COH-{company.company_number}" in html
    assert "Same company number (the register gives it)" in html
    dual = OrgIdLink.objects.filter(source_id="charity-dual-registered").first()
    OrgIdLink.objects.create(
        org_id_a="GB-SC-SC000001",
        org_id_b=company.org_id,
        reason=dual.reason,
        source_id="charity-dual-registered",
        import_run=dual.import_run,
    )
    html = client.get(f"/charities/{company.org_id}/").content.decode()
    assert "GB-SC-SC000001" in html
    assert "Dual-registered in England and Wales and Scotland (OSCR list)" in html
    payload = client.get(f"/charities/{company.org_id}.json").json()
    reasons = {link["org_id"]: link["reason"] for link in payload["linked_org_ids"]}
    assert reasons["GB-SC-SC000001"].startswith("dual-registered")


def test_json_version_and_no_trustee_names(patch, client):
    payload = client.get("/charities/GB-NIC-100002.json").json()
    assert payload["org_id"] == "GB-NIC-100002"
    assert payload["register"] == "ccni"
    assert payload["is_main_charity"] is True
    assert payload["source"]["data_date"]
    assert "trustees" not in payload and "trustee_names" not in payload
    assert set(payload["possibly_inactive"]) == {"flag", "reason", "rule"}


def test_possibly_inactive_flag_on_the_page(patch, client):
    overdue = Charity.objects.filter(register="ccni", accounts_overdue=True).first()
    html = client.get(f"/charities/{overdue.org_id}/").content.decode()
    assert "<strong>Possibly inactive.</strong>" in html
    assert "10 months" in html  # the rule is written on the page
    fine = Charity.objects.filter(register="ccni", accounts_overdue=False, status="registered")
    html = client.get(f"/charities/{fine.first().org_id}/").content.decode()
    assert "<strong>Possibly inactive.</strong>" not in html
    assert "latest annual return has been received" in html
    # When the register does not say, the dates decide.
    silent = fine.last()
    recent = silent.data_date.replace(year=silent.data_date.year - 1, day=1)
    Charity.objects.filter(pk=silent.pk).update(accounts_overdue=None, latest_period_end=recent)
    html = client.get(f"/charities/{silent.org_id}/").content.decode()
    assert "Accounts are up to date" in html
    Charity.objects.filter(pk=silent.pk).update(latest_period_end=recent.replace(year=2019))
    html = client.get(f"/charities/{silent.org_id}/").content.decode()
    assert "<strong>Possibly inactive.</strong>" in html


def test_unknown_organisation_is_404_and_lower_case_redirects(patch, client):
    assert client.get("/charities/GB-CHC-999999999/").status_code == 404
    assert client.get("/charities/GB-CHC-999999999.json").status_code == 404
    response = client.get("/charities/gb-nic-100002/")
    assert response.status_code == 302 and response["Location"] == "/charities/GB-NIC-100002/"


def test_charities_is_in_the_menu(patch, client):
    html = client.get("/").content.decode()
    assert 'href="/charities/"' in html and ">Charities<" in html


# -- grants received (the grants app's section, included by template) -------------------------


def test_a_real_grant_recipient_shows_its_grants_on_its_page(patch, client):
    """The Plaza Community Cinema (GB-CHC-1062570, in the CCEW sample) had a grant from
    Lloyds Bank Foundation in the real 360Giving file; other charities show none."""
    from tests.grants.grant_data import CC_BY, FILES, clear_grants
    from vcsehub.grants.services import grant_file_import, standard_import

    html = client.get("/charities/GB-CHC-1062570/").content.decode()
    assert "No grants to this organisation are loaded." in html
    try:
        assert standard_import(data_dir=patch.data_dir).status == "succeeded"
        relative, _ = FILES["lloyds"]
        run = grant_file_import(
            location=patch.data_dir / "360giving-grants" / relative, dataset="lloyds", licence=CC_BY
        )
        assert run.status == "succeeded", run.error
        html = client.get("/charities/GB-CHC-1062570/").content.decode()
        assert '<h2 id="grants-received-gb-chc-1062570">Grants received</h2>' in html
        assert "1 grant to this organisation is loaded, £15,000 in pounds." in html
        assert '<th scope="row">Grant to The Plaza Community Cinema</th>' in html
        assert "17 Dec 2010" in html
        other = client.get("/charities/GB-NIC-100002/").content.decode()
        assert "No grants to this organisation are loaded." in other
    finally:
        clear_grants()

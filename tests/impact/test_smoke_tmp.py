import pytest, time
from tests.impact.conftest import FIXTURES
from vcsehub.impact import services
pytestmark = pytest.mark.django_db

def test_smoke(impact_geography, cast):
    t=time.time()
    up = services.upload_create(organisation=cast.organisation, user=cast.owner, source=FIXTURES/"food_bank_visits.csv", name="food_bank_visits.csv", dataset_name="Visits")
    print(time.time()-t)
    print(up.rows_read, up.rows_excluded, up.rows_duplicate, up.rows_stored, up.excluded_reasons, up.outcome_scale_min, up.outcome_scale_max)
    for r in up.report: print(r["severity"], r["check"], r["count"], r["message"], r["cells"][:5])
    up = services.upload_confirm(upload=up, user=cast.owner)
    print(up.dataset, up.dataset.records.count())
    from vcsehub.impact.models import Record
    from collections import Counter
    print(Counter(Record.objects.values_list("postcode_status", flat=True)))
    print(Record.objects.filter(person_key="").count(), Record.objects.exclude(person_key="").values("person_key").distinct().count())
    print(list(Record.objects.values()[:2]))

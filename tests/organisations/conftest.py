import pytest

from tests.organisations.people import make_cast


@pytest.fixture
def cast(db):
    return make_cast()

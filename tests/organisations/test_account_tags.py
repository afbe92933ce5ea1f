from datetime import timedelta

import pytest

from vcsehub.organisations.templatetags.account_tags import wait_words


@pytest.mark.parametrize(
    ("cool_off", "words"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=10), "1 minute"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(hours=1), "1 hour"),
        (None, "a while"),
    ],
)
def test_wait_words(cool_off, words):
    assert wait_words(cool_off) == words

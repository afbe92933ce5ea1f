"""Settings for the test suite: production settings with a fixed, test-only key."""

from config.settings import *  # noqa: F403

SECRET_KEY = "test-only-key-never-used-outside-the-test-suite"
AXES_ENABLED = True

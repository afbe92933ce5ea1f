"""Settings for the test suite: production settings with a fixed, test-only key."""

from config.settings import *  # noqa: F403

SECRET_KEY = "test-only-key-never-used-outside-the-test-suite"  # noqa: S105
AXES_ENABLED = True

# A tiny app with one model, for the all-or-nothing import tests (tests/sources/).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.sources.testapp"]  # noqa: F405

PASSWORD_HASHERS = ["config.test_hashers.FastArgon2PasswordHasher"]

# Tests serve static files through the finders; no collected folder is needed.
STATIC_ROOT = None

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

from config.checks import require_secret_key  # noqa: E402

require_secret_key()

# Import the URL patterns (and the views they import) now rather than in the first
# request each worker serves: about a third of a second here.
get_resolver().resolve("/")

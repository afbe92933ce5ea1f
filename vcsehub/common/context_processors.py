"""Values every page template can use: the menu and the current menu item.

(The site name is written in the templates: `site_name` is taken by Django's auth views.)
"""

from vcsehub.common.navigation import nav_current, nav_items

ACCOUNT_URL_NAME = "organisations:home"


def site(request):
    items = nav_items()
    return {
        "nav_items": items,
        "nav_current": nav_current(request.path, items),
        # The header links the signed-in user's email to their account unless the menu already does.
        "account_in_nav": any(item.url_name == ACCOUNT_URL_NAME for item in items),
    }

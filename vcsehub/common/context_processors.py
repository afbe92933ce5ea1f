"""Values every page template can use: the menu, the current menu item and the site name."""

from vcsehub.common.navigation import nav_current, nav_items

SITE_NAME = "VCSE Hub"


def site(request):
    items = nav_items()
    return {
        "nav_items": items,
        "nav_current": nav_current(request.path, items),
        "site_name": SITE_NAME,
    }

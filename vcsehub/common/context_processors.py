from vcsehub.common.navigation import nav_items


def site(request):
    path = request.path
    items = nav_items()
    current = max((item for item in items if path.startswith(item.url) and item.url != "/"),
                  key=lambda item: len(item.url), default=None)
    return {"nav_items": items, "nav_current": current, "site_name": "VCSE Hub"}

"""The site's own pages: home, and the friendly error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from vcsehub.common.home import home_audiences


def home(request):
    return render(request, "home.html", {"audiences": home_audiences()})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request or context processors: the database may be the
    # reason for the error, so this page must not touch it.
    return HttpResponseServerError(loader.get_template("500.html").render())

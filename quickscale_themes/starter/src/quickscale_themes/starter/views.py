"""Thin views of the starter theme: pages only, no business logic."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Landing page; projects usually override ``quickscale_starter/home.html``."""
    return render(request, "quickscale_starter/home.html")

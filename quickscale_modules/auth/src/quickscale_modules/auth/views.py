"""The account page: a thin view; the data comes from allauth's models."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def account(request: HttpRequest) -> HttpResponse:
    addresses = EmailAddress.objects.filter(user=request.user).order_by("-primary", "email")
    return render(request, "quickscale_auth/account.html", {"email_addresses": addresses})

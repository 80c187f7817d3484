"""The account pages: thin views; the data comes from allauth's models and from core's
personal-data services (what each installed component declares it holds)."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from quickscale_core.i18n import LANGUAGE_FIELD, keep_in_cookie, remember, supported
from quickscale_core.personal_data import services as personal_data

from quickscale_modules.auth import forms

ARCHIVE_NAME = "personal-data.zip"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The account page; its language form (shown when the site offers more than one)
    posts here."""
    offered = len(settings.LANGUAGES) > 1
    current = supported(getattr(request.user, LANGUAGE_FIELD, "")) or (
        supported(translation.get_language()) or settings.LANGUAGE_CODE
    )
    form = forms.LanguageForm(request.POST or None, initial={"language": current})
    if offered and request.method == "POST" and form.is_valid():
        return _switch_language(request, form.cleaned_data["language"])
    addresses = EmailAddress.objects.filter(user=request.user).order_by("-primary", "email")
    context = {"email_addresses": addresses, "language_form": form if offered else None}
    return render(request, "quickscale_auth/account.html", context)


def _switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Store ``code`` on the user (their mails follow it) and on this browser (Django's
    language cookie, keep_in_cookie), then show the account
    page in it."""
    remember(request.user, code)
    translation.activate(code)
    request.LANGUAGE_CODE = code
    messages.success(
        request, _("Your language is now %(language)s.") % {"language": forms.own_name(code, code)}
    )
    response = redirect(reverse("quickscale_auth:account"))
    keep_in_cookie(response, code)
    return response


# Both actions need a fresh proof of identity (allauth's reauthentication: the password,
# or a second factor the user has); the POST waits in the session meanwhile and is
# replayed by allauth once the user has re-authenticated. Viewing the page does not.
@login_required
@reauthentication_required(allow_get=True)
def personal_data_page(request: HttpRequest) -> HttpResponse:
    """GET: what the archive holds; POST: build it (in the background and mailed as a
    link when the project has a broker, else here, as the response)."""
    if request.method != "POST":
        return render(request, "quickscale_auth/personal_data.html")
    export = personal_data.request_export(request.user, base_url=request.build_absolute_uri("/"))
    if export.mailed:
        messages.success(request, _mailed_message(personal_data.link_hours()))
        return redirect("quickscale_auth:personal_data")
    response = HttpResponse(export.archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{ARCHIVE_NAME}"'
    return response


def _mailed_message(hours: int) -> str:
    text: str = ngettext(
        "We emailed you a link to your data. It is valid for %(hours)d hour.",
        "We emailed you a link to your data. It is valid for %(hours)d hours.",
        hours,
    )
    return text % {"hours": hours}


@login_required
@reauthentication_required(allow_get=True)
def delete_account(request: HttpRequest) -> HttpResponse:
    """GET: what deletion does and the confirmation; POST: erase, log out, and go where
    logging out goes (ACCOUNT_LOGOUT_REDIRECT_URL, the home page by default)."""
    form = forms.DeleteAccountForm(request.POST or None, user=request.user)
    if request.method != "POST" or not form.is_valid():
        context = {"form": form, "confirmation": forms.confirmation_text(request.user)}
        return render(request, "quickscale_auth/delete_account.html", context)
    personal_data.erase_user(request.user)
    logout(request)
    messages.success(request, _("Your account has been deleted."))
    return redirect(get_adapter(request).get_logout_redirect_url(request))

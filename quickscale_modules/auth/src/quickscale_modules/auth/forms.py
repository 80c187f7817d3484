"""Forms of the module's own account pages."""

from __future__ import annotations

from typing import Any

from allauth.account.utils import user_email
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def confirmation_text(user: Any) -> str:
    """What the user types to confirm the deletion: their email address (their username
    when they have none)."""
    return str(user_email(user) or user.get_username())


class DeleteAccountForm(forms.Form):
    """Deleting cannot be undone: the user types their email address, so a stray click
    or a form submitted by someone else's page never erases an account."""

    confirmation = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirmation(self) -> str:
        typed = str(self.cleaned_data["confirmation"]).strip()
        if typed.casefold() != confirmation_text(self.user).casefold():
            raise forms.ValidationError(
                _("That is not your email address; the account was not deleted.")
            )
        return typed


def language_choices() -> list[tuple[str, str]]:
    """settings.LANGUAGES, each language in its own name ("Español"): a reader who does
    not read the page's current language still finds theirs."""
    return [(code, own_name(code, name)) for code, name in settings.LANGUAGES]


def own_name(code: str, name: str) -> str:
    """The language's name in that language (Django's table), else the settings' name."""
    try:
        own: str = capfirst(translation.get_language_info(code)["name_local"])
    except KeyError:
        return name
    return own


class LanguageForm(forms.Form):
    """The language of the site and of the user's mails (one of settings.LANGUAGES)."""

    language = forms.ChoiceField(label=_("Language"), choices=language_choices)

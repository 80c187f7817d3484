"""Forms of the module's own account pages."""

from __future__ import annotations

from typing import Any

from allauth.account.utils import user_email
from django import forms
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

"""A form with an unmarked label and an unmarked ValidationError."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 80


class NoteForm(forms.Form):
    title = forms.CharField(label="Title")  # unmarked: label
    body = forms.CharField(label=_("Body"), help_text=_("Plain text."), required=False)
    colour = forms.ChoiceField(label=_("Colour"), choices=[("red", _("Red"))])

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"]
        if not title.strip():
            raise ValidationError("Enter a title.")  # unmarked: ValidationError
        if len(title) > TITLE_MAX:
            raise ValidationError(
                _("Keep the title under %(limit)s characters."),
                code="too_long",
                params={"limit": TITLE_MAX + 1},
            )
        return title

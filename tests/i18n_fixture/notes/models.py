"""A model whose field name is an unmarked verbose_name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    title = models.CharField(verbose_name="title", max_length=80)  # unmarked: verbose_name
    body = models.TextField(_("body"), blank=True, help_text=_("What the note says."))
    slug = models.SlugField(_("slug"), error_messages={"unique": _("That slug is taken.")})

    class Meta:
        app_label = "notes"  # not user-facing: no rule names it
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.title

"""A project's user and two components' models, as the declarations in settings.py
describe them: deleted, reached through a relation, anonymized, kept."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    # As a generated project's user model has it: the language mails speak ("" unset).
    language = models.CharField(max_length=35, blank=True, default="")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class Note(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=100)
    written = models.DateTimeField()
    rating = models.DecimalField(max_digits=5, decimal_places=2)
    private = models.TextField(default="")  # marked secret
    api_key = models.CharField(max_length=40, default="")  # secret by its name
    attachment = models.FileField(blank=True)
    raw = models.BinaryField(default=b"")


class Tag(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="tags")
    label = models.CharField(max_length=30)


class Payment(models.Model):
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
    description = models.CharField(max_length=100)
    payer_name = models.CharField(max_length=100, null=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    day = models.DateField()


class Consent(models.Model):
    # Kept unchanged when the user goes: no constraint, nothing cascades.
    user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    terms = models.CharField(max_length=30)


class Ledger(models.Model):
    """Undeclared, protecting its user: deleting one fails (the rollback tests)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")


class AuditEntry(models.Model):
    """An audit trail's entry, as django-auditlog writes one: deleting a user writes one
    whose actor is the user being deleted (the request's user), during the erasure."""

    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    what = models.CharField(max_length=100)

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    USER = "user", _("utilisateur")
    SYSTEM = "system", _("système")
    ANONYMOUS = "anonymous", _("anonyme")


class AuditEvent(models.Model):
    """One row of the append-only, hash-chained audit trail.

    The database refuses UPDATE and DELETE on this table (trigger, see migration 0002).
    Rows hold no personal or health content: identifiers, action codes and the names
    of changed fields with non-sensitive before/after values only.
    """

    occurred_at = models.DateTimeField(_("date (UTC)"), db_index=True)
    actor_kind = models.CharField(_("type d'acteur"), max_length=10, choices=ActorKind.choices)
    # No foreign key: a deleted user must neither cascade into nor rewrite the trail.
    actor_user_id = models.BigIntegerField(
        _("id utilisateur"), null=True, blank=True, db_index=True
    )
    actor_label = models.CharField(_("acteur"), max_length=150)
    actor_roles = models.JSONField(_("rôles"), default=list, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("type de cible"), max_length=100, blank=True)
    target_id = models.CharField(_("id de la cible"), max_length=64, blank=True)
    subject = models.CharField(
        _("personne concernée"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_(
            "doctor:<id> ou patient:<id>, pour retrouver tout ce qui concerne une personne."
        ),
    )
    changes = models.JSONField(_("modifications"), default=dict, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    request_id = models.CharField(_("id de requête"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    task_id = models.CharField(_("id de tâche"), max_length=64, blank=True)
    command = models.CharField(_("commande"), max_length=100, blank=True)
    prev_hash = models.CharField(_("empreinte précédente"), max_length=64)
    hash = models.CharField(_("empreinte"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

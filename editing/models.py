from django.conf import settings
from django.db import models


class EditingPresence(models.Model):
    """One open change form: who has which object open, in which browser tab, since when, and
    when its page last said it was still open (static/js/editing-presence.js)."""

    content = models.CharField(
        max_length=120, help_text="The model's label and the object's key, e.g. techniques.technique:5."
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tab = models.CharField(max_length=40, help_text="A random name the page gives itself, so two tabs are two editors.")
    opened_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "open change form"
        constraints = [models.UniqueConstraint(fields=["content", "user", "tab"], name="editingpresence_one_per_tab")]
        indexes = [models.Index(fields=["content", "seen_at"], name="editingpresence_content_seen")]

    def __str__(self):
        return f"{self.user} on {self.content}"

"""Curated routines: a few published guides, in order, edited in the admin, each optionally
with its own hold and repetitions (see routines.steps for how those apply).

The tables keep the names they had when routines were part of the techniques app
(migrations 0008 and 0009 there), so their rows and history carried over unchanged.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from routines.steps import RoutineEntry
from techniques.addresses import address
from techniques.markdown import validate_markdown_images
from techniques.models import HoldAndReps, Publishable, PublishableQuerySet, RendersMarkdown, Technique
from techniques.page_cache.content_version import ContentQuerySet

# Addresses under /routines/ that are pages of their own (routines/urls.py).
RESERVED_SLUGS = {"build", "custom"}


def validate_routine_slug(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"“{slug}” is the address of another page under /routines/; choose another.")


class RoutineQuerySet(PublishableQuerySet):
    def published(self):
        """The routines a member of the public may see: published, with at least one guide
        that is published too (a routine whose guides were all unpublished has nothing to show)."""
        live_guides = RoutineItem.objects.filter(routine=OuterRef("pk"), technique__in=Technique.objects.published())
        return super().published().filter(Exists(live_guides))


class Routine(Publishable, RendersMarkdown):
    markdown_fields = ("intro",)

    title = models.CharField(max_length=120)
    slug = models.SlugField(
        unique=True,
        validators=[validate_routine_slug],
        help_text="The end of the routine's address, as in /routines/morning-mobility/.",
    )
    summary = models.CharField(
        max_length=200, help_text="One sentence. Shown on the list of routines and in link previews."
    )
    intro = MarkdownxField(
        blank=True,
        validators=[validate_markdown_images],
        help_text="Optional: who the routine is for and when to do it.",
    )
    intro_html = models.TextField(editable=False, default="")

    objects = RoutineQuerySet.as_manager()
    history = HistoricalRecords(table_name="techniques_historicalroutine")

    class Meta(Publishable.Meta):
        db_table = "techniques_routine"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("routines:detail", self.slug)


class RoutineItem(HoldAndReps):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    technique = models.ForeignKey(
        Technique, on_delete=models.CASCADE, related_name="routine_items", verbose_name="guide"
    )
    order = models.PositiveSmallIntegerField(help_text="Guides are done in this order, starting at 1.")

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords(table_name="techniques_historicalroutineitem")

    class Meta:
        db_table = "techniques_routineitem"
        verbose_name = "guide in the routine"
        verbose_name_plural = "guides in the routine"
        ordering = ["routine", "order"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "order"], name="routineitem_order_unique"),
            models.UniqueConstraint(
                fields=["routine", "technique"],
                name="routineitem_guide_once",
                violation_error_message="A guide can be in a routine only once.",
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="routineitem_order_from_one"),
            *HoldAndReps.Meta.constraints,
        ]

    def __str__(self):
        return f"{self.order}. {self.technique}"

    def entry(self) -> RoutineEntry:
        return RoutineEntry.of(self.technique, self.hold_seconds, self.reps)

    def clean(self):
        super().clean()
        if self.technique_id is None or (self.hold_seconds is None and self.reps is None):
            return
        problems = self.entry().override_problems()
        if problems:
            raise ValidationError(problems)

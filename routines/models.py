"""Curated routines: a few published guides, in order, edited in the admin, each optionally
with its own hold and repetitions (see routines.steps for how those apply).

The tables keep the names they had when routines were part of the techniques app
(migrations 0008 and 0009 there), so their rows and history carried over unchanged.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from routines.steps import RoutineEntry
from techniques.content_version import ContentQuerySet
from techniques.markdown import validate_markdown_images
from techniques.models import (
    HOLD_SECONDS_MAX,
    REPS_MAX,
    PublishedOnFirstSave,
    RendersMarkdown,
    Status,
    Technique,
)

# Addresses under /routines/ that are pages of their own (routines/urls.py).
RESERVED_SLUGS = {"build", "custom"}


def validate_routine_slug(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"“{slug}” is the address of another page under /routines/; choose another.")


class RoutineQuerySet(ContentQuerySet):
    def published(self):
        """The routines a member of the public may see: published, with at least one guide
        that is published too (a routine whose guides were all unpublished has nothing to show)."""
        live_guides = RoutineItem.objects.filter(routine=OuterRef("pk"), technique__in=Technique.objects.published())
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now()).filter(Exists(live_guides))


class Routine(PublishedOnFirstSave, RendersMarkdown):
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
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="A published routine may only use published guides. If one of its guides is "
        "unpublished later, the routine's page leaves that guide out until it is published again.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Set automatically when the routine is first published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoutineQuerySet.as_manager()
    history = HistoricalRecords(table_name="techniques_historicalroutine")

    class Meta:
        db_table = "techniques_routine"
        ordering = ["title"]
        get_latest_by = "published_at"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="routine_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("routines:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED and self.published_at is not None


OVERRIDE_HELP = (
    "Leave empty to keep the guide's own. Changes only the steps the guide repeats; setting up "
    "and resting keep the guide's timing."
)


class RoutineItem(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    technique = models.ForeignKey(
        Technique, on_delete=models.CASCADE, related_name="routine_items", verbose_name="guide"
    )
    order = models.PositiveSmallIntegerField(help_text="Guides are done in this order, starting at 1.")
    hold_seconds = models.PositiveSmallIntegerField(
        "hold (seconds)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(HOLD_SECONDS_MAX)],
        help_text=OVERRIDE_HELP,
    )
    reps = models.PositiveSmallIntegerField(
        "repetitions",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(REPS_MAX)],
        help_text=OVERRIDE_HELP,
    )

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
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=True) | Q(hold_seconds__gte=1, hold_seconds__lte=HOLD_SECONDS_MAX),
                name="routineitem_hold_seconds_range",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__gte=1, reps__lte=REPS_MAX), name="routineitem_reps_range"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.technique}"

    def clean(self):
        super().clean()
        if self.technique_id is None or (self.hold_seconds is None and self.reps is None):
            return
        entry = RoutineEntry(self.technique, list(self.technique.steps.all()), self.hold_seconds, self.reps)
        problems = entry.override_problems()
        if problems:
            raise ValidationError(problems)

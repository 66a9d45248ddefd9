"""Curated routines in the admin: a routine with its guides edited inline, in order, with the
same history, revert and markdown editor as guides."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from editing.admin_mixins import ConcurrentEditingAdmin
from routines.models import Routine, RoutineItem
from routines.steps import MAX_GUIDES, MAX_STEPS, RoutineEntry, routine_problems
from techniques.admin_mixins import (
    CountsChildren,
    MarkdownEditor,
    ReordersChildren,
    RevertsChildren,
    children_count_column,
)
from techniques.django_internals import marked_for_deletion
from techniques.models import Status, Technique
from techniques.plain_text import and_list
from techniques.revisions import rebuild_children


class RoutineItemFormSet(BaseInlineFormSet):
    """Refuses a routine with no guide, too many guides or steps for its one-page handout, or,
    when it is published, a guide the public can't see. Nothing is saved until it is fixed."""

    def get_unique_error_message(self, unique_check):
        if "technique" in unique_check:
            return "A guide can be in a routine only once."
        return "Two guides have the same order number: give each its own."

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        guides = [
            form.cleaned_data["technique"]
            for form in self.forms
            if form.cleaned_data.get("technique") and not marked_for_deletion(self, form)
        ]
        if not guides:
            raise ValidationError("Add at least one guide to the routine.")
        problems = routine_problems([RoutineEntry.of(guide) for guide in guides])
        unpublished = [guide.title for guide in guides if not guide.is_published]
        if unpublished and self.data.get("status") == Status.PUBLISHED:
            problems.append(
                f"{and_list(unpublished)} {'is' if len(unpublished) == 1 else 'are'} not published, and a "
                "published routine can only use published guides. Publish the guide first, or save the "
                "routine as a draft."
            )
        if problems:
            raise ValidationError(problems)


# The model's hold and repetitions are a step's too; what they mean in a routine is said here.
OVERRIDE_HELP = (
    "Leave empty to keep the guide's own. Changes only the steps the guide repeats; setting up "
    "and resting keep the guide's timing."
)


class RoutineItemInline(admin.TabularInline):
    model = RoutineItem
    formset = RoutineItemFormSet
    fields = ["order", "technique", "hold_seconds", "reps"]
    autocomplete_fields = ["technique"]
    extra = 1
    ordering = ["order"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("hold_seconds", "reps"):
            kwargs["help_text"] = OVERRIDE_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Routine)
class RoutineAdmin(
    ConcurrentEditingAdmin, MarkdownEditor, ReordersChildren, RevertsChildren, CountsChildren, SimpleHistoryAdmin
):
    list_display = ["title", "status", "guide_count", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "summary", "items__technique__title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RoutineItemInline]
    reordered_children = (RoutineItem,)
    counted_children = "items"
    guide_count = children_count_column("guides")
    children_restored_message = "Its guides, with their holds and repetitions, were restored to that version too."
    readonly_fields = ["published_at", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "summary", "status"],
                "description": (
                    f"A routine is a few guides done one after another; add them below, in order. It has at "
                    f"most {MAX_GUIDES} guides and {MAX_STEPS} steps in all, so that it prints on one A4 page. "
                    "A published routine may only use published guides. If one of its guides is unpublished "
                    "later, the routine's page leaves that guide out until it is published again."
                ),
            },
        ),
        ("Text", {"fields": ["intro"]}),
        ("Dates", {"fields": ["published_at", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def restore_children(self, version):
        restore_items(version)


@transaction.atomic
def restore_items(version):
    """Put the routine's guides back as they were in `version`, as techniques.revisions does
    for a guide's steps. A guide deleted since then can't come back into the routine."""

    def existing_guides(records):
        guides = set(
            Technique.objects.filter(pk__in=[r.technique_id for r in records.values()]).values_list("pk", flat=True)
        )
        return {pk: record for pk, record in records.items() if record.technique_id in guides}

    rebuild_children(RoutineItem, version, "routine_id", unique_order=True, keep=existing_guides)

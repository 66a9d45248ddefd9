"""Curated routines in the admin: a routine with its guides edited inline, in order, with the
same history, revert and markdown editor as guides."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from editing.admin_mixins import ConcurrentEditingAdmin
from routines.models import Routine, RoutineItem
from routines.steps import MAX_GUIDES, MAX_STEPS, RoutineEntry, routine_problems
from techniques.admin import MARKDOWN_WIDGETS
from techniques.models import Status, Technique
from techniques.plain_text import and_list
from techniques.revisions import children_as_of, park_step_orders, version_ends_at


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
            if form.cleaned_data.get("technique") and not (self.can_delete and self._should_delete_form(form))
        ]
        if not guides:
            raise ValidationError("Add at least one guide to the routine.")
        problems = routine_problems([RoutineEntry(guide, list(guide.steps.all())) for guide in guides])
        unpublished = [guide.title for guide in guides if not guide.is_published]
        if unpublished and self.data.get("status") == Status.PUBLISHED:
            problems.append(
                f"{and_list(unpublished)} {'is' if len(unpublished) == 1 else 'are'} not published, and a "
                "published routine can only use published guides. Publish the guide first, or save the "
                "routine as a draft."
            )
        if problems:
            raise ValidationError(problems)


class RoutineItemInline(admin.TabularInline):
    model = RoutineItem
    formset = RoutineItemFormSet
    fields = ["order", "technique", "hold_seconds", "reps"]
    autocomplete_fields = ["technique"]
    extra = 1
    ordering = ["order"]


@admin.register(Routine)
class RoutineAdmin(ConcurrentEditingAdmin, SimpleHistoryAdmin):
    list_display = ["title", "status", "guide_count", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "summary", "items__technique__title"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGETS
    inlines = [RoutineItemInline]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "summary", "status"],
                "description": (
                    f"A routine is a few guides done one after another; add them below, in order. It has at "
                    f"most {MAX_GUIDES} guides and {MAX_STEPS} steps in all, so that it prints on one A4 page."
                ),
            },
        ),
        ("Text", {"fields": ["intro"]}),
        ("Dates", {"fields": ["published_at", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items", distinct=True))

    @admin.display(description="guides", ordering="item_total")
    def guide_count(self, routine):
        return routine.item_total

    def save_formset(self, request, form, formset, change):
        if formset.model is RoutineItem:
            reordered = [f.instance.pk for f in formset.forms if f.instance.pk and "order" in f.changed_data]
            # The same parking as steps: (routine, order) is unique row by row.
            park_step_orders(RoutineItem.objects.filter(pk__in=reordered))
        super().save_formset(request, form, formset, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            restore_items(self.model.history.get(history_id=version_id))
            self.message_user(
                request, "Its guides, with their holds and repetitions, were restored to that version too."
            )
        return response


@transaction.atomic
def restore_items(version):
    """Put the routine's guides back as they were in `version`, as techniques.revisions does
    for a guide's steps. A guide deleted since then can't come back into the routine."""
    routine_id = version.id
    items = children_as_of(RoutineItem, version_ends_at(version), routine_id=routine_id)
    existing_guides = set(
        Technique.objects.filter(pk__in=[r.technique_id for r in items.values()]).values_list("pk", flat=True)
    )
    wanted = {pk: record for pk, record in items.items() if record.technique_id in existing_guides}
    RoutineItem.objects.filter(routine_id=routine_id).exclude(pk__in=wanted).delete()
    park_step_orders(RoutineItem.objects.filter(routine_id=routine_id))
    for record in wanted.values():
        record.instance.save()

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from editing.admin_mixins import ConcurrentEditingAdmin
from techniques.admin_mixins import (
    CountsChildren,
    MarkdownEditor,
    ReordersChildren,
    RevertsChildren,
    children_count_column,
)
from techniques.django_internals import marked_for_deletion
from techniques.illustrations import keys as illustration_keys
from techniques.images.pictures import step_picture
from techniques.images.uploads import clean_image_upload, upload_limits
from techniques.models import (
    BodyArea,
    Equipment,
    GuideCitation,
    Page,
    PageCitation,
    SafetyTip,
    Source,
    Status,
    Step,
    Technique,
)
from techniques.publishing import ALT_TEXT_NEEDED, REQUIREMENTS, describe, lacks_alt_text, publication_problems
from techniques.revisions import restore_children


def drawing_choices():
    step_keys = [key for key in illustration_keys() if not key.startswith("cavitation")]
    return [("", "No drawing"), *((key, key) for key in step_keys)]


class StepForm(forms.ModelForm):
    illustration = forms.ChoiceField(
        choices=drawing_choices,
        required=False,
        help_text="The site's own drawing for this step. An uploaded image, if any, is shown instead.",
    )
    # A plain file field: clean_image decodes the upload itself, with stricter limits than
    # Django's ImageField check, which would open it with Pillow's defaults first.
    image = forms.FileField(
        label="uploaded image",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/avif"}),
        help_text=f"Optional: {upload_limits()}. Replaces the drawing; clear it to switch back.",
    )

    image_credit_url = forms.URLField(
        label="credit: source address",
        required=False,
        assume_scheme="https",
        help_text="Where the image came from (http or https).",
    )

    class Meta:
        model = Step
        fields = [
            "order",
            "title",
            "instruction",
            "hold_seconds",
            "reps",
            "sides",
            "breathing",
            "illustration",
            "image",
            "image_alt",
            "image_credit_author",
            "image_credit_licence",
            "image_credit_url",
        ]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a newly uploaded file has content_type; an existing one is already clean.
        if image and hasattr(image, "content_type"):
            return clean_image_upload(image)
        return image

    def clean(self):
        cleaned = super().clean()
        if lacks_alt_text(cleaned.get("image"), cleaned.get("illustration"), cleaned.get("image_alt")):
            self.add_error("image_alt", ALT_TEXT_NEEDED)
        return cleaned


class PublishGuardFormSet(BaseInlineFormSet):
    """Refuses to save a guide marked Published whose inline rows of this kind would all be
    gone. Nothing is saved, and the editor's form comes back with the message."""

    requirement = ""

    def clean(self):
        super().clean()
        if self.data.get("status") != Status.PUBLISHED:
            return
        remaining = [
            form for form in self.forms if form.has_changed() or form.instance.pk if not marked_for_deletion(self, form)
        ]
        if not remaining:
            raise ValidationError(describe([REQUIREMENTS[self.requirement]]) + " Or save it as a draft.")


class StepFormSet(PublishGuardFormSet):
    requirement = "steps"


class TipFormSet(PublishGuardFormSet):
    requirement = "tips"


class CitationFormSet(PublishGuardFormSet):
    requirement = "sources"


class StepInline(MarkdownEditor, admin.StackedInline):
    model = Step
    form = StepForm
    formset = StepFormSet
    extra = 0
    ordering = ["order"]
    fields = [
        ("order", "title"),
        "instruction",
        ("hold_seconds", "reps", "sides"),
        "breathing",
        "current_picture",
        ("illustration", "image"),
        "image_alt",
        ("image_credit_author", "image_credit_licence", "image_credit_url"),
    ]
    readonly_fields = ["current_picture"]

    @admin.display(description="Picture shown now")
    def current_picture(self, step):
        picture = step_picture(step) if step.pk else None
        if picture is None:
            return "No picture yet."
        origin = "the site's drawing" if picture.is_drawing else "uploaded image"
        return format_html(
            '<img class="step-picture-preview" src="{}" alt="{}" width="240"><br>{}',
            picture.url,
            picture.alt,
            origin,
        )


class GuideTipInline(admin.TabularInline):
    model = SafetyTip
    formset = TipFormSet
    fields = ["order", "kind", "text", "urgency"]
    extra = 0
    ordering = ["order"]


class GuideCitationInline(admin.TabularInline):
    model = GuideCitation
    formset = CitationFormSet
    fields = ["order", "source"]
    autocomplete_fields = ["source"]
    extra = 0


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Review overdue"), ("never", "Never reviewed")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "never":
            return queryset.filter(reviewed_on__isnull=True)
        return queryset


@admin.register(Technique)
class TechniqueAdmin(
    ConcurrentEditingAdmin, MarkdownEditor, ReordersChildren, RevertsChildren, CountsChildren, SimpleHistoryAdmin
):
    list_display = ["title", "status", "is_live", "reviewed_on", "next_review_due", "step_count", "updated_at"]
    list_filter = ["status", ReviewOverdueFilter, "position", "difficulty", "equipment"]
    search_fields = ["title", "slug", "summary", "steps__title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["equipment", "body_areas", "related"]
    inlines = [StepInline, GuideTipInline, GuideCitationInline]
    reordered_children = (Step,)
    counted_children = "steps"
    step_count = children_count_column("steps")
    children_restored_message = "Its steps, safety tips and sources were restored to that version too."
    actions = ["publish", "unpublish"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "status"]}),
        ("Text", {"fields": ["intro", "feel", "mistakes"]}),
        ("Classification", {"fields": ["position", "difficulty", "minutes", "equipment", "body_areas", "related"]}),
        (
            "Clinical review",
            {"fields": ["reviewed_on", "reviewed_by_name", "reviewed_by_credential", "next_review_due"]},
        ),
        ("Dates", {"fields": ["published_at", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="live on site", boolean=True)
    def is_live(self, guide):
        return guide.is_published

    # In one transaction, as the change form's saves are: a save's marks on stored guide
    # bodies (techniques/guide_bodies/) must commit with it.
    @admin.action(description="Publish the selected guides")
    @transaction.atomic
    def publish(self, request, queryset):
        count = 0
        for guide in queryset.exclude(status=Status.PUBLISHED):
            problems = publication_problems(guide)
            if problems:
                self.message_user(request, f"“{guide.title}” was not published. {describe(problems)}", messages.ERROR)
                continue
            guide.status = Status.PUBLISHED
            guide.save()  # the model dates the first publication
            count += 1
        if count:
            self.message_user(request, f"Published {count} guide(s).", messages.SUCCESS)

    def restore_children(self, version):
        restore_children(version)

    def get_urls(self):
        deleted = path("deleted/", self.admin_site.admin_view(self.deleted_view), name="techniques_technique_deleted")
        return [deleted, *super().get_urls()]

    def deleted_view(self, request):
        """Deleted guides, each linking to its history, where any version can be restored."""
        live = Technique.objects.values("pk")
        deletions = (
            Technique.history.filter(history_type="-")
            .exclude(id__in=live)
            .order_by("-history_date")
            .select_related("history_user")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Deleted guides",
            "deletions": deletions,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/techniques/technique/deleted.html", context)

    @admin.action(description="Unpublish the selected guides (back to draft)")
    @transaction.atomic
    def unpublish(self, request, queryset):
        count = 0
        for guide in queryset.filter(status=Status.PUBLISHED):
            guide.status = Status.DRAFT
            guide.save()
            count += 1
        self.message_user(request, f"Moved {count} guide(s) back to draft.", messages.SUCCESS)


@admin.register(Source)
class SourceAdmin(ConcurrentEditingAdmin, SimpleHistoryAdmin):
    # An address typed without a scheme is taken as https, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "authors", "year", "kind", "publisher"]
    list_filter = ["kind"]
    search_fields = ["title", "authors", "publisher", "key"]
    prepopulated_fields = {"key": ["title"]}


@admin.register(SafetyTip)
class SafetyTipAdmin(ConcurrentEditingAdmin, SimpleHistoryAdmin):
    list_display = ["text", "kind", "urgency", "technique", "order"]
    list_filter = ["kind", "urgency", ("technique", admin.EmptyFieldListFilter)]
    list_select_related = ["technique"]
    search_fields = ["text"]
    autocomplete_fields = ["sources"]


class PageCitationInline(admin.TabularInline):
    model = PageCitation
    fields = ["order", "source"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Page)
class PageAdmin(ConcurrentEditingAdmin, MarkdownEditor, SimpleHistoryAdmin):
    list_display = ["title", "slug", "updated_at"]
    inlines = [PageCitationInline]


@admin.register(Equipment, BodyArea)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

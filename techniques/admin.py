from django import forms
from django.contrib import admin, messages
from django.db.models import Count, F
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from techniques.images import clean_image_upload
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
from techniques.pictures import step_picture

STEP_ORDER_PARKING = 10_000
MARKDOWN_WIDGETS = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class StepForm(forms.ModelForm):
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
        ]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a newly uploaded file has content_type; an existing one is already clean.
        if image and hasattr(image, "content_type"):
            return clean_image_upload(image)
        return image

    def clean(self):
        cleaned = super().clean()
        has_picture = cleaned.get("image") or cleaned.get("illustration")
        if has_picture and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", "Describe the position shown in the picture, for readers who can't see it.")
        return cleaned


class StepInline(admin.StackedInline):
    model = Step
    form = StepForm
    extra = 0
    ordering = ["order"]
    formfield_overrides = MARKDOWN_WIDGETS
    fields = [
        ("order", "title"),
        "instruction",
        ("hold_seconds", "reps", "sides"),
        "breathing",
        "current_picture",
        ("illustration", "image"),
        "image_alt",
    ]
    readonly_fields = ["current_picture"]

    @admin.display(description="Picture shown now")
    def current_picture(self, step):
        picture = step_picture(step) if step.pk else None
        if picture is None:
            return "No picture yet."
        origin = "the site's drawing" if picture.is_drawing else "uploaded image"
        return format_html(
            '<img src="{}" alt="{}" style="max-width:240px;height:auto;background:#fff"><br>{}',
            picture.url,
            picture.alt,
            origin,
        )


class GuideTipInline(admin.TabularInline):
    model = SafetyTip
    fields = ["order", "kind", "text", "urgency"]
    extra = 0
    ordering = ["order"]


class GuideCitationInline(admin.TabularInline):
    model = GuideCitation
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
class TechniqueAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "is_live", "reviewed_on", "next_review_due", "step_count", "updated_at"]
    list_filter = ["status", ReviewOverdueFilter, "position", "difficulty", "equipment"]
    search_fields = ["title", "slug", "summary", "steps__title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["equipment", "body_areas", "related"]
    formfield_overrides = MARKDOWN_WIDGETS
    inlines = [StepInline, GuideTipInline, GuideCitationInline]
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps", distinct=True))

    def save_formset(self, request, form, formset, change):
        if formset.model is Step:
            reordered = [f.instance.pk for f in formset.forms if f.instance.pk and "order" in f.changed_data]
            # The database checks (guide, order) is unique row by row, so swapping two steps
            # would collide half-way. Park the reordered steps on free numbers first; the
            # admin runs this in one transaction, so readers never see the parked numbers.
            Step.objects.filter(pk__in=reordered).update(order=F("order") + STEP_ORDER_PARKING)
        super().save_formset(request, form, formset, change)

    @admin.display(description="steps", ordering="step_total")
    def step_count(self, guide):
        return guide.step_total

    @admin.display(description="live on site", boolean=True)
    def is_live(self, guide):
        return guide.is_published

    @admin.action(description="Publish the selected guides")
    def publish(self, request, queryset):
        now = timezone.now()
        count = 0
        for guide in queryset.exclude(status=Status.PUBLISHED):
            guide.status = Status.PUBLISHED
            guide.published_at = guide.published_at or now
            guide.save()
            count += 1
        self.message_user(request, f"Published {count} guide(s).", messages.SUCCESS)

    @admin.action(description="Unpublish the selected guides (back to draft)")
    def unpublish(self, request, queryset):
        count = 0
        for guide in queryset.filter(status=Status.PUBLISHED):
            guide.status = Status.DRAFT
            guide.save()
            count += 1
        self.message_user(request, f"Moved {count} guide(s) back to draft.", messages.SUCCESS)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "authors", "year", "kind", "publisher"]
    list_filter = ["kind"]
    search_fields = ["title", "authors", "publisher", "key"]
    prepopulated_fields = {"key": ["title"]}


@admin.register(SafetyTip)
class SafetyTipAdmin(admin.ModelAdmin):
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
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    formfield_overrides = MARKDOWN_WIDGETS
    inlines = [PageCitationInline]


@admin.register(Equipment, BodyArea)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

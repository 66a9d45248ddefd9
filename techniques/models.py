"""The content of Back Relief: guides, their steps, safety tips, sources and editable pages.
(Curated routines, made of guides, are the routines app's.)

A note on naming: readers and editors see "guides" everywhere (the model's verbose_name, the
/guides/ addresses, the admin), while the code and the database call a guide a `Technique`.
The model kept its first name because renaming it would rename its tables, its history and
its permissions for no reader's benefit; read `Technique` as "guide".

Markdown is stored as the editor wrote it, with its sanitised HTML beside it, rendered on
save so that no request renders markdown.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from techniques.addresses import address
from techniques.django_internals import is_new_upload
from techniques.images.pictures import Credit
from techniques.images.variants import make_variants
from techniques.markdown import render_markdown, validate_markdown_images
from techniques.page_cache.content_version import ContentQuerySet, new_content_token

HOLD_SECONDS_MAX = 120
REPS_MAX = 30
MINUTES_MAX = 60


def search_document_field():
    """The row's weighted full-text search document (techniques.search), on PostgreSQL only.

    The database keeps it: a trigger recomputes it whenever the row is inserted or updated,
    by save(), the admin or a bulk write alike, and a GIN index serves the searches
    (migration 0012). On other databases it stays empty. Only searches read it, inside the
    database, so rows are loaded without it (SearchableManager), and no revision or backup
    keeps it."""
    return SearchVectorField(null=True, editable=False, serialize=False)


class SearchableManager(models.Manager):
    """Loads rows without their search document, which can be larger than the rest of the row
    and which no Python code reads."""

    def get_queryset(self):
        return super().get_queryset().defer("search_document")


class RendersMarkdown(models.Model):
    """Keeps each `<field>_html` column in step with its markdown `<field>`."""

    markdown_fields: tuple[str, ...] = ()

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            changed = set(update_fields) & set(self.markdown_fields)
            kwargs["update_fields"] = set(update_fields) | {f"{n}_html" for n in changed}
        super().save(*args, **kwargs)

    def render_markdown_fields(self):
        for name in self.markdown_fields:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))


class Position(models.TextChoices):
    STANDING = "standing", "Standing"
    SEATED = "seated", "Seated"
    LYING_FACE_UP = "lying-face-up", "Lying face up"
    LYING_SIDE = "lying-side", "Lying on your side"
    HANDS_AND_KNEES = "hands-and-knees", "On hands and knees"


class Difficulty(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MODERATE = "moderate", "Moderate"
    CHALLENGING = "challenging", "Challenging"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Tag(models.Model):
    """A named filter value that editors can add to, such as an item of equipment."""

    slug = models.SlugField(unique=True, help_text="Used in filter links, e.g. foam-roller.")
    name = models.CharField(max_length=60, unique=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Equipment(Tag):
    class Meta(Tag.Meta):
        verbose_name_plural = "equipment"


class BodyArea(Tag):
    class Meta(Tag.Meta):
        verbose_name = "body area"


class SourceKind(models.TextChoices):
    STUDY = "study", "Study"
    GUIDANCE = "guidance", "Clinical guidance"
    ARTICLE = "article", "Article"


http_url_validator = URLValidator(schemes=["http", "https"])


class Source(models.Model):
    key = models.SlugField(unique=True, help_text="Short identifier, e.g. kawchuk-2015. Used in links to the source.")
    title = models.CharField(max_length=300)
    authors = models.CharField(max_length=300, blank=True, help_text="As cited, e.g. 'Smith A, Jones B'.")
    publisher = models.CharField(
        "publisher or journal", max_length=200, help_text="The journal, or the organisation that publishes it."
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(
        "URL or DOI link",
        max_length=500,
        blank=True,
        validators=[http_url_validator],
        help_text="An http or https address; for a DOI use https://doi.org/…. Leave empty if none is confirmed.",
    )
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.STUDY)
    accessed_on = models.DateField("accessed", null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What this source supports, in plain words.")

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["authors", "year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1800, year__lte=2100),
                name="source_year_plausible",
            ),
        ]

    def __str__(self):
        year = f" ({self.year})" if self.year else ""
        return f"{self.title}{year}"

    def get_absolute_url(self):
        return address("techniques:sources") + f"#{self.key}"

    @property
    def safe_url(self):
        """The link, or "" unless it is http(s): rows written outside the admin's validation
        must not put a javascript: URL on a page."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else ""


# What templates/includes/guide_card.html shows, besides the equipment.
CARD_FIELDS = ("title", "slug", "summary", "minutes", "position", "difficulty")


class PublishableQuerySet(ContentQuerySet):
    def published(self, now=None):
        """The rows a member of the public may see (at `now`, if not this moment). Every public
        view starts here."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, now):
        """Rows marked published whose publication time is still ahead of `now`."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=now)


class Publishable(models.Model):
    """Draft or published, and since when: what guides and routines share. A row marked
    published without a publication time goes public when it is saved; one whose time is
    still ahead is not public until then."""

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Set automatically when it is first published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        get_latest_by = "published_at"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="%(class)s_published_has_date",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        """Whether the public may see it now: `published()`'s rule, for one row in hand."""
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()


class HoldAndReps(models.Model):
    """How long to hold and how many times: a step's own, or a routine's for one of its guides."""

    hold_seconds = models.PositiveSmallIntegerField(
        "hold (seconds)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(HOLD_SECONDS_MAX)]
    )
    reps = models.PositiveSmallIntegerField(
        "repetitions", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(REPS_MAX)]
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=True) | Q(hold_seconds__gte=1, hold_seconds__lte=HOLD_SECONDS_MAX),
                name="%(class)s_hold_seconds_range",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__gte=1, reps__lte=REPS_MAX), name="%(class)s_reps_range"
            ),
        ]


class TechniqueQuerySet(PublishableQuerySet):
    def review_overdue(self, today=None):
        return self.filter(next_review_due__lt=today or timezone.localdate())

    def with_card_data(self):
        """Just what a guide card shows: a list of guides then costs the same however long
        their texts are or however many steps they have."""
        return self.only(*CARD_FIELDS).prefetch_related("equipment")


class Technique(Publishable, RendersMarkdown):
    """A guide (see the note on naming at the top)."""

    markdown_fields = ("intro", "feel", "mistakes")

    title = models.CharField(max_length=120)
    slug = models.SlugField(unique=True, help_text="The guide's address: /guides/<slug>/.")
    summary = models.CharField(max_length=200, help_text="One sentence. Shown on guide cards and in link previews.")
    intro = MarkdownxField(help_text="Who the guide is for and what it does.", validators=[validate_markdown_images])
    intro_html = models.TextField(editable=False, default="")
    feel = MarkdownxField("what you should feel", blank=True, validators=[validate_markdown_images])
    feel_html = models.TextField(editable=False, default="")
    mistakes = MarkdownxField("common mistakes", blank=True, validators=[validate_markdown_images])
    mistakes_html = models.TextField(editable=False, default="")

    position = models.CharField(max_length=20, choices=Position.choices)
    difficulty = models.CharField(max_length=20, choices=Difficulty.choices, default=Difficulty.GENTLE)
    body_areas = models.ManyToManyField(BodyArea, related_name="techniques", blank=True)
    equipment = models.ManyToManyField(Equipment, related_name="techniques", blank=True)
    minutes = models.PositiveSmallIntegerField(
        "estimated minutes",
        validators=[MinValueValidator(1), MaxValueValidator(MINUTES_MAX)],
        help_text="Roughly how long the whole guide takes.",
    )

    # The 1200×630 link-preview picture in media storage; see techniques.images.share_card_files.
    share_card = models.CharField(max_length=200, blank=True, editable=False)

    reviewed_on = models.DateField("last reviewed", null=True, blank=True)
    reviewed_by_name = models.CharField("reviewer's name", max_length=120, blank=True)
    reviewed_by_credential = models.CharField(
        "reviewer's credential", max_length=120, blank=True, help_text="E.g. 'Physiotherapist (HCPC)'."
    )
    next_review_due = models.DateField(null=True, blank=True)

    related = models.ManyToManyField("self", symmetrical=False, blank=True, verbose_name="related guides")
    sources = models.ManyToManyField(Source, through="GuideCitation", related_name="techniques", blank=True)
    search_document = search_document_field()

    objects = SearchableManager.from_queryset(TechniqueQuerySet)()
    history = HistoricalRecords(m2m_fields=[equipment, body_areas, related], excluded_fields=["search_document"])

    class Meta(Publishable.Meta):
        verbose_name = "guide"
        ordering = ["title"]
        # Every page-cache lookup asks for the next scheduled publication
        # (techniques/page_cache/content_version.py); without this it reads every guide.
        indexes = [models.Index(fields=["status", "published_at"], name="guide_status_published_at")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | ~Q(reviewed_by_name=""),
                name="technique_review_names_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MINUTES_MAX), name="technique_minutes_range"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("techniques:detail", self.slug)

    @property
    def is_reviewed(self):
        return self.reviewed_on is not None

    @property
    def review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()


class Sides(models.TextChoices):
    ONCE = "once", "Once"
    EACH = "each", "On each side"


class Step(RendersMarkdown, HoldAndReps):
    markdown_fields = ("instruction",)

    technique = models.ForeignKey(Technique, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(help_text="Steps are shown in this order, starting at 1.")
    title = models.CharField(max_length=120)
    instruction = MarkdownxField(validators=[validate_markdown_images])
    instruction_html = models.TextField(editable=False, default="")
    illustration = models.CharField(
        max_length=80,
        blank=True,
        help_text="The site's own drawing for this step. An uploaded image, if any, is shown instead.",
    )
    image = models.ImageField(
        "uploaded image",
        upload_to="steps/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="Optional. Replaces the drawing; clear it to switch back to the drawing.",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="Describe the position in words for people who can't see the picture.",
    )
    # Smaller AVIF, WebP and JPEG/PNG copies of the upload, made when it is saved; see
    # techniques.images.variants. Empty for the site's drawings, which are SVG.
    image_variants = models.JSONField(default=dict, blank=True, editable=False)
    image_credit_author = models.CharField("credit: author", max_length=120, blank=True)
    image_credit_licence = models.CharField(
        "credit: licence", max_length=120, blank=True, help_text="For example: CC BY 4.0, or: Used with permission."
    )
    image_credit_url = models.URLField(
        "credit: source address",
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where the image came from (http or https).",
    )
    sides = models.CharField(max_length=10, choices=Sides.choices, default=Sides.ONCE)
    breathing = models.CharField("breathing cue", max_length=200, blank=True)
    search_document = search_document_field()
    objects = SearchableManager.from_queryset(ContentQuerySet)()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["technique", "order"]
        constraints = [
            models.UniqueConstraint(fields=["technique", "order"], name="step_order_unique_in_guide"),
            models.CheckConstraint(condition=Q(order__gte=1), name="step_order_from_one"),
            *HoldAndReps.Meta.constraints,
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=False) | Q(reps__isnull=False),
                name="step_has_hold_or_reps",
                violation_error_message="Give a hold in seconds, a number of repetitions, or both.",
            ),
        ]

    def __str__(self):
        return f"{self.technique.title}: step {self.order}, {self.title}"

    def save(self, *args, **kwargs):
        self.refresh_image_variants()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.technique.get_absolute_url()}#{self.anchor}"

    def refresh_image_variants(self):
        """Make the upload's variants once, when a new image is saved, not on each request."""
        if not self.image:
            self.image_variants = {}
            return
        if is_new_upload(self.image):
            # Store the upload now, so its variants can be made from the stored file
            # and saved in the same row write.
            self.image.save(self.image.name, self.image.file, save=False)
        if self.image_variants.get("original") != self.image.name:
            self.image_variants = make_variants(self.image.name)

    @property
    def image_credit(self):
        return Credit.of(self.image_credit_author, self.image_credit_licence, self.image_credit_url)

    @property
    def anchor(self):
        return f"step-{self.order}"


class TipKind(models.TextChoices):
    DO = "do", "Do"
    DONT = "dont", "Don't"
    RED_FLAG = "red_flag", "Red flag"


class Urgency(models.TextChoices):
    """How soon a red-flag symptom needs care, most urgent first."""

    EMERGENCY = "emergency", "Emergency: call 999 or go to A&E"
    URGENT = "urgent", "Urgent: same-day GP appointment or call NHS 111"
    SOON = "soon", "See a GP or physiotherapist soon"
    STOP = "stop", "Stop the exercise"


URGENCY_RANK = {value: rank for rank, value in enumerate(Urgency.values)}


def most_urgent_first(tips):
    return sorted(tips, key=lambda tip: URGENCY_RANK[tip.urgency])


def group_red_flags(tips):
    """Red flags grouped by urgency, most urgent first: [(urgency label, [tips])]."""
    groups = {}
    for tip in most_urgent_first(tips):
        groups.setdefault(tip.get_urgency_display(), []).append(tip)
    return list(groups.items())


class SafetyTip(models.Model):
    technique = models.ForeignKey(
        Technique,
        on_delete=models.CASCADE,
        related_name="tips",
        null=True,
        blank=True,
        help_text="Leave empty for a site-wide tip, shown on the safety page.",
    )
    kind = models.CharField(max_length=10, choices=TipKind.choices)
    text = models.CharField(max_length=400)
    urgency = models.CharField(
        max_length=10, choices=Urgency.choices, blank=True, help_text="Red flags only: how soon to get care."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Site-wide do and don't tips with the same number share a row of the table."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="safety_tips")

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "safety tip"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=TipKind.RED_FLAG) & ~Q(urgency="")) | (~Q(kind=TipKind.RED_FLAG) & Q(urgency="")),
                name="safetytip_urgency_only_on_red_flags",
                violation_error_message="A red flag needs an urgency; a do or don't tip has none.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Citation(models.Model):
    """A source cited by a guide or page, in the order the text numbers it."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=1)

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        verbose_name = "cited source"
        ordering = ["order", "pk"]

    def __str__(self):
        return f"[{self.order}] {self.source}"


class GuideCitation(Citation):
    technique = models.ForeignKey(Technique, on_delete=models.CASCADE, related_name="citations")

    class Meta(Citation.Meta):
        constraints = [models.UniqueConstraint(fields=["technique", "source"], name="guidecitation_source_once")]


class PageSlug(models.TextChoices):
    CAVITATION = "cavitation", "What is the pop? (cavitation)"
    SAFETY = "safety", "Safety page introduction"
    ABOUT = "about", "About and editorial policy"


class Page(RendersMarkdown):
    """An editable page: the cavitation explainer, the safety page's introduction, About."""

    markdown_fields = ("body",)

    slug = models.SlugField(unique=True, choices=PageSlug.choices, help_text="Which page of the site this is.")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=200, help_text="One sentence for link previews and search results.")
    body = MarkdownxField(validators=[validate_markdown_images])
    body_html = models.TextField(editable=False, default="")
    sources = models.ManyToManyField(Source, through="PageCitation", related_name="pages", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The 1200×630 link-preview picture in media storage; see techniques.images.share_card_files.
    share_card = models.CharField(max_length=200, blank=True, editable=False)
    search_document = search_document_field()
    objects = SearchableManager.from_queryset(ContentQuerySet)()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address(f"techniques:{self.slug}")


class PageCitation(Citation):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="citations")

    class Meta(Citation.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "source"], name="pagecitation_source_once")]


class LoadedSeed(models.Model):
    """Which seed items `load_content` has already loaded, so that it never loads one twice
    and never brings back something an editor deleted."""

    key = models.CharField(max_length=120, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="A digest of the values the loader last wrote, so that it can tell whether an editor "
        "has changed the item since. Empty for items loaded before digests were kept.",
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The row the item was loaded into.")
    review = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why load_content left this item for an editor to review; empty when nothing is waiting.",
    )
    reviewed_seed = models.CharField(
        max_length=64,
        blank=True,
        help_text="The fingerprint of the seed text an editor has reviewed and chosen not to take.",
    )

    def __str__(self):
        return self.key


class ContentVersion(models.Model):
    """One row that changes whenever published content may have changed: cached pages are
    filed under it (techniques/page_cache/content_version.py, techniques/page_cache/middleware.py)."""

    counter = models.BigIntegerField(default=0, help_text="How many changes so far.")
    token = models.CharField(
        max_length=16,
        default=new_content_token,
        help_text="Random, renewed by every change: a version is never reused, even after a database restore.",
    )
    upcoming_publications = models.TextField(
        blank=True,
        default="",
        help_text="When scheduled guides go public, as POSIX timestamps, earliest first: set by every change.",
    )

    def __str__(self):
        return f"content version {self.counter} ({self.token})"


class GuideBody(models.Model):
    """A guide page's own part, rendered once and kept until something it shows changes
    (techniques/guide_bodies/). Derived from the content, so never backed up, and not
    content itself: storing one changes no page."""

    guide = models.OneToOneField(Technique, on_delete=models.CASCADE, primary_key=True, related_name="body")
    generation = models.BigIntegerField(
        default=0, help_text="Moved on, in the same transaction, by every change to what the guide's page shows."
    )
    rendered_generation = models.BigIntegerField(
        null=True, help_text="The generation the stored HTML was rendered at; none yet if empty."
    )
    release = models.CharField(max_length=16, blank=True, help_text="The code and templates it was rendered by.")
    origin = models.CharField(max_length=200, blank=True, help_text="The scheme and host its links were made for.")
    stale_after = models.DateTimeField(
        null=True, help_text="When a related guide scheduled for later goes public, joining the related guides."
    )
    html = models.TextField(blank=True)
    json_ld = models.TextField(blank=True)

    def __str__(self):
        return f"stored page of guide {self.guide_id}"

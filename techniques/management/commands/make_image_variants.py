from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from techniques.images.in_markdown import MARKDOWN_UPLOAD_DIR
from techniques.images.variants import load_manifest, make_variants, save_manifest
from techniques.models import Page, Step, Technique


class Command(BaseCommand):
    help = (
        "Make the responsive variants of uploaded images that don't have them yet (images "
        "uploaded before variants existed, or restored from a backup without them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Make every image's variants again.")

    def handle(self, *args, force=False, **options):
        made = 0
        for step in Step.objects.exclude(image=""):
            if force or step.image_variants.get("original") != step.image.name:
                step.image_variants = make_variants(step.image.name)
                # update(): new variants are not an editorial change to record in history.
                Step.objects.filter(pk=step.pk).update(image_variants=step.image_variants)
                made += 1
        if default_storage.exists(MARKDOWN_UPLOAD_DIR):
            _, files = default_storage.listdir(MARKDOWN_UPLOAD_DIR)
            for filename in files:
                name = MARKDOWN_UPLOAD_DIR + filename
                if force or load_manifest(name) is None:
                    save_manifest(make_variants(name))
                    made += 1
        # Markdown shows variants from its stored HTML, rendered at save time: render again.
        for model in (Technique, Step, Page):
            for item in model.objects.all():
                item.render_markdown_fields()
                fields = {f"{name}_html": getattr(item, f"{name}_html") for name in model.markdown_fields}
                model.objects.filter(pk=item.pk).update(**fields)
        self.stdout.write(f"Made variants for {made} image(s).")

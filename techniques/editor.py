"""The markdownx editor's live preview and image upload, mounted here instead of
`markdownx.urls` because those views accept anyone and return unsanitised HTML."""

from functools import wraps

from django import forms
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.http import require_POST

from techniques.images.in_markdown import MARKDOWN_UPLOAD_DIR
from techniques.images.uploads import clean_image_upload
from techniques.images.variants import make_variants, save_manifest
from techniques.markdown import render_markdown

PREVIEW_MAX_CHARS = 100_000
# Images are uploaded into markdown text: a guide's, a step's, a page's or a routine's (every
# admin with MarkdownEditor). An editor who may change none of them has nothing to put them in.
UPLOAD_PERMISSIONS = (
    "techniques.change_technique",
    "techniques.change_step",
    "techniques.change_page",
    "routines.change_routine",
)


def staff_only(view):
    """403 for anyone who is not an active staff member; nothing runs, nothing is stored."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return HttpResponseForbidden("Only signed-in editors can do this.")
        return view(request, *args, **kwargs)

    return wrapped


class PreviewForm(forms.Form):
    content = forms.CharField(required=False, max_length=PREVIEW_MAX_CHARS, strip=False)


class UploadForm(forms.Form):
    image = forms.FileField()

    def clean_image(self):
        return clean_image_upload(self.cleaned_data["image"])


@require_POST
@staff_only
def markdown_preview(request):
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            f"The preview is limited to {PREVIEW_MAX_CHARS:,} characters.", status=400, content_type="text/plain"
        )
    return HttpResponse(render_markdown(form.cleaned_data["content"]))


@require_POST
@staff_only
def markdown_upload(request):
    if not any(request.user.has_perm(permission) for permission in UPLOAD_PERMISSIONS):
        return HttpResponseForbidden(
            "Uploading images needs permission to change guides, their steps, pages or routines."
        )
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"image": form.errors.get("image", ["Choose an image file."])}, status=400)
    image = form.cleaned_data["image"]
    stored_name = default_storage.save(MARKDOWN_UPLOAD_DIR + image.name, image)
    save_manifest(make_variants(stored_name))
    # The alt text is left for the editor to write: saving refuses an image without it.
    return JsonResponse({"image_code": f"![]({default_storage.url(stored_name)})"})

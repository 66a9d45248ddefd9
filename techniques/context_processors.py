from django.conf import settings

DEFAULT_DESCRIPTION = (
    "Gentle, evidence-backed guides for easing upper-back stiffness at home, with clear "
    "safety limits and an honest account of what the pop is."
)


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "default_description": DEFAULT_DESCRIPTION,
        "share_image_alt": f"{settings.SITE_NAME}: gentle guides for a stiff upper back",
    }

from django.urls import path
from django.views.generic import RedirectView

from routines import views

app_name = "routines"

# Included at /routines/ (backrelief/urls.py).
urlpatterns = [
    path("", views.routine_list, name="list"),
    # Before the curated routines' <slug>, which can't take these two names (RESERVED_SLUGS).
    path("build/", views.routine_builder, name="builder"),
    path("custom/", RedirectView.as_view(pattern_name="routines:builder")),
    path("custom/<path:spec>/", views.custom_routine, name="custom"),
    path("<slug:slug>/", views.routine_detail, name="detail"),
]

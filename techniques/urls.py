from django.urls import path
from django.views.generic import RedirectView

from techniques import feeds, routine_views, views

app_name = "techniques"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="list"),
    path("guides/<slug:slug>/", views.guide_detail, name="detail"),
    path("safety/", views.safety, name="safety"),
    path("what-is-the-pop/", views.cavitation, name="cavitation"),
    path("sources/", views.sources, name="sources"),
    path("about/", views.about, name="about"),
    path("routines/", routine_views.routine_list, name="routines"),
    # Before the curated routines' <slug>, which can't take these two names (routine_models).
    path("routines/build/", routine_views.routine_builder, name="routine_builder"),
    path("routines/custom/", RedirectView.as_view(pattern_name="techniques:routine_builder")),
    path("routines/custom/<path:spec>/", routine_views.custom_routine, name="custom_routine"),
    path("routines/<slug:slug>/", routine_views.routine_detail, name="routine"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.guide_feed, name="feed"),
]

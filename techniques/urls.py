from django.urls import path

from techniques import feeds, views

app_name = "techniques"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="list"),
    path("guides/<slug:slug>/", views.guide_detail, name="detail"),
    path("safety/", views.safety, name="safety"),
    path("what-is-the-pop/", views.cavitation, name="cavitation"),
    path("sources/", views.sources, name="sources"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.guide_feed, name="feed"),
]

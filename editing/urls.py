from django.urls import path

from editing import presence

app_name = "editing"
urlpatterns = [
    path("heartbeat/", presence.heartbeat, name="heartbeat"),
    path("leave/", presence.leave, name="leave"),
]

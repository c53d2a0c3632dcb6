from django.conf import settings
from django.urls import path

from ops import views

app_name = "ops"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Uploads are served here, never by the web server directly, so every download is
    # checked against the records that reference it and carries safe headers.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.media_download, name="media"),
]

from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("requests/", views.request_form, name="form"),
    path("requests/received/", views.request_received, name="received"),
    path("requests/status/", views.request_status, name="status"),
]

from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("pdf/", views.dashboard_pdf, name="pdf"),
]

from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("disclosure/<slug:slug>/", views.disclosure_detail, name="disclosure_detail"),
]

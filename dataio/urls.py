from django.urls import path

from dataio import views

app_name = "dataio"

urlpatterns = [
    path("", views.import_job_list, name="import_jobs"),
    path("<int:pk>/", views.import_job_detail, name="import_job"),
    path("<int:pk>/progress/", views.import_job_progress, name="import_job_progress"),
    path("<int:pk>/report/", views.import_job_report, name="import_job_report"),
]

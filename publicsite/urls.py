from django.urls import path

from disclosure.feeds import DisclosureFeed
from publicsite import views

app_name = "publicsite"

urlpatterns = [
    path("", views.home, name="home"),
    path("disclosure/", views.disclosure_list, name="disclosure_list"),
    path("disclosure/feed/", DisclosureFeed(), name="disclosure_feed"),
    path("disclosure/<slug:slug>/", views.disclosure_detail, name="disclosure_detail"),
    path(
        "disclosure/<slug:slug>/files/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("language/", views.language_choice, name="language"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:batch>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:batch>/received/", views.notice_received, name="notice_received"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:year>/", views.report_detail, name="report_detail"),
    path("reports/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
]

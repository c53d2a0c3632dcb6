from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from fao_portal.redirects import moved_admin_redirect
from sitesettings.views import switch_language

admin.site.site_header = _("常州市人民政府外事办公室 法治政府建设管理平台")
admin.site.site_title = _("市外事办法治建设平台")
admin.site.index_title = _("管理首页")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/switch/", switch_language, name="switch_language"),
    # Background import jobs, under the admin's prefix (before admin.site.urls).
    path("admin/imports/", include("dataio.urls")),
    # Admin pages of models that moved to another app keep working from old bookmarks.
    re_path(
        r"^admin/(?P<old_app>supervision|lawbuilding)/"
        r"(?P<model>disclosureitem|disclosureattachment|indexcounter|organization)/(?P<rest>.*)$",
        moved_admin_redirect,
    ),
    path("admin/", admin.site.urls),
    path("dashboard/", include("dashboard.urls")),
    path("", include("ops.urls")),
    path("", include("applications.urls")),
    path("", include("publicsite.urls")),
]

# A database outage noticed outside a view still answers 503, not a bare 500.
handler500 = "ops.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

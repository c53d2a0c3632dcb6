from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (second factor, enrolment page); listed in
    INSTALLED_APPS instead of "django.contrib.admin"."""

    default_site = "accounts.admin_site.PortalAdminSite"

from lawbuilding import admin_report  # noqa: F401  (annual report admin, kept separate)

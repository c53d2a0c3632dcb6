from supervision import admin_moderation  # noqa: F401  (comment moderation, kept separate)

"""Admin for the moderation of citizens' comments on notices."""

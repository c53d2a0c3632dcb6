def on_calendar_edited(**kwargs):
    pass

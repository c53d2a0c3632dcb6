"""Helpers for migrations that move a model from one app to another without touching its
table: the model's content type (and so its permissions, admin log entries and the roles that
hold them) follows the model instead of being recreated empty."""


def move_content_types(old_app: str, new_app: str, models: list[str]):
    """A RunPython pair renaming the content types of `models` from `old_app` to `new_app`."""

    def rename(source: str, target: str):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            permission = apps.get_model("auth", "Permission")
            db = schema_editor.connection.alias
            types = content_type.objects.using(db)
            for model in models:
                old = types.filter(app_label=source, model=model).first()
                if old is None:
                    continue
                new = types.filter(app_label=target, model=model).first()
                if new is not None:
                    # Both exist when a permission sync ran between the two migrations: keep
                    # the old row, which history, log entries and group permissions point at.
                    kept = set(
                        permission.objects.using(db)
                        .filter(content_type=old)
                        .values_list("codename", flat=True)
                    )
                    permission.objects.using(db).filter(
                        content_type=new, codename__in=kept
                    ).delete()
                    permission.objects.using(db).filter(content_type=new).update(content_type=old)
                    new.delete()
                old.app_label = target
                old.save(update_fields=["app_label"])

        return run

    return rename(old_app, new_app), rename(new_app, old_app)

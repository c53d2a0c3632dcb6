"""Import/export resources (stub; replaced by the import/export work)."""

from import_export import resources


def resource_for(model):
    """The ModelResource class used for `model` in the admin and the commands."""
    return resources.modelresource_factory(model)

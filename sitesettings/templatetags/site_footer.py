from django import template

from sitesettings.models import current_settings

register = template.Library()


@register.inclusion_tag("sitesettings/footer.html")
def site_footer():
    return {"site": current_settings()}

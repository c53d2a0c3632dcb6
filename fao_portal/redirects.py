"""Permanent redirects for admin pages whose models moved to another app, so bookmarks and
links in old e-mails keep working."""

from django.http import Http404, HttpResponsePermanentRedirect

# (old app, model) → new app.
MOVED_MODELS = {
    ("supervision", "disclosureitem"): "disclosure",
    ("supervision", "disclosureattachment"): "disclosure",
    ("supervision", "indexcounter"): "disclosure",
    ("lawbuilding", "organization"): "core",
}


def moved_admin_redirect(request, old_app: str, model: str, rest: str):
    new_app = MOVED_MODELS.get((old_app, model))
    if new_app is None:
        raise Http404
    target = f"/admin/{new_app}/{model}/{rest}"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(target)

"""Public pages: the application form, its confirmation with the tracking code, and the
status look-up. No page shows the applicant's personal data: the status page shows the
code, the state, the dates and the deadline only."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from applications import services
from applications.forms import InformationRequestForm, StatusLookupForm
from applications.models import InformationRequest

SESSION_KEY = "applications.last_code"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request):
    status, form_error = 200, ""
    form = InformationRequestForm()
    if request.method == "POST":
        form = InformationRequestForm(request.POST)
        if not form.is_valid():
            status = 400
        elif form.is_spam:
            # Answer a bot as if it succeeded, and keep nothing.
            request.session[SESSION_KEY] = ""
            return redirect("applications:received")
        else:
            try:
                req = services.submit_online(
                    data=form.cleaned_data, source=services.client_hash(request)
                )
            except services.RateLimited as exc:
                status, form_error = 429, " ".join(exc.messages)
            except ValidationError as exc:
                status, form_error = 400, " ".join(exc.messages)
            else:
                request.session[SESSION_KEY] = req.tracking_code
                return redirect("applications:received")
    return render(
        request,
        "applications/request_form.html",
        {"form": form, "form_error": form_error, "nav": "requests"},
        status=status,
    )


@never_cache
@require_safe
def request_received(request):
    code = request.session.get(SESSION_KEY)
    if code is None:
        return redirect("applications:form")
    return render(request, "applications/request_received.html", {"code": code, "nav": "requests"})


@never_cache
@require_safe
def request_status(request):
    form = StatusLookupForm(request.GET or None)
    found, status, not_found = None, 200, False
    if request.GET:
        if form.is_valid():
            found = (
                InformationRequest.objects.filter(tracking_code=form.cleaned_data["code"])
                .only(
                    "tracking_code",
                    "status",
                    "received_on",
                    "due_on",
                    "extension_approved_on",
                    "decided_on",
                    "delivered_on",
                    "outcome",
                    "submitted_at",
                )
                .first()
            )
            if found is None:
                not_found, status = True, 404
        else:
            status = 400
    context = {
        "form": form,
        "found": found,
        "not_found": not_found,
        "not_found_message": gettext("没有找到这个查询码对应的申请，请核对后重试。"),
        "nav": "requests",
    }
    return render(request, "applications/request_status.html", context, status=status)

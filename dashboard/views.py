"""The leadership dashboard and its one-page PDF."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import FONT_STACKS, html_to_pdf
from dashboard.charts import dashboard_charts
from dashboard.default_year import default_year, year_has_records, years_with_records
from dashboard.forms import YearForm
from dashboard.metrics import build_dashboard
from dashboard.permissions import dashboard_required

PDF_PANELS = ("plan", "learning", "proposals", "notices", "delegations", "disclosure")


def _dashboard_context(request: HttpRequest) -> tuple[dict, int]:
    today = timezone.localdate()
    chosen = default_year(today) if "year" not in request.GET else None
    form = YearForm(request.GET if chosen is None else {"year": chosen.year})
    if not form.is_valid():
        return {"form": form, "today": today}, 400
    year = form.cleaned_data["year"]
    data = build_dashboard(year=year, user=request.user, today=today)
    context = {"form": form, "data": data, "charts": dashboard_charts(data), "today": today}
    context["year_reason"] = chosen.reason if chosen else ""
    if not year_has_records(year):
        context["years_with_records"] = years_with_records(up_to=today.year)[:3]
        context["year_empty"] = True
    return context, 200


@dashboard_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context, status = _dashboard_context(request)
    return render(request, "dashboard/index.html", context, status=status)


@dashboard_required
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    """The dashboard on one A4 page for a leadership meeting, through the report's pipeline."""
    context, status = _dashboard_context(request)
    if status != 200:
        return render(request, "dashboard/index.html", context, status=status)
    year = context["data"].year
    title = _("%(year)s年法治政府建设工作概览") % {"year": year}
    html = render_to_string(
        "dashboard/pdf.html",
        {
            **context,
            "title": title,
            "fonts": FONT_STACKS,
            "panel_order": PDF_PANELS,
            "site_root": request.build_absolute_uri("/").rstrip("/"),
            "generated_note": _("生成于 %(now)s")
            % {"now": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        },
        request=request,
    )
    pdf = html_to_pdf(html, title=title, author=_("常州市人民政府外事办公室"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{year}.pdf"'
    return response

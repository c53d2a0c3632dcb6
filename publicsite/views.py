"""Public pages: home, disclosure catalogue and detail, notices with comments, reports."""

import functools
import io
import json
import logging
import threading
from collections import OrderedDict
from pathlib import PurePath

import segno
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_safe

from core.files import TamperedFileError
from core.models import Organization
from core.uploads import attachment_response
from disclosure import viewcounts
from disclosure.models import DisclosureAttachment, DisclosureItem
from disclosure.services import disclosure_attachment_bytes
from lawbuilding.models import AnnualReport
from lawbuilding.reports import blocks as report_blocks
from lawbuilding.services import report_pdf_bytes
from publicsite.catalogue_neighbours import catalogue_neighbours
from publicsite.forms import CatalogueFilterForm, NoticeCommentForm
from sitesettings.models import current_settings
from supervision import moderation
from supervision.models import HonoraryCitizenNotice, NoticeComment

PAGE_SIZE = 20
logger = logging.getLogger(__name__)


def index_number_from_slug(slug: str) -> str:
    """014109568-2022-00012 → 014109568/2022-00012 (the URL form replaces the slash)."""
    parts = slug.rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        raise Http404
    return f"{parts[0]}/{parts[1]}-{parts[2]}"


def current_office() -> Organization | None:
    try:
        return Organization.objects.current()
    except Organization.DoesNotExist:
        return None


@functools.lru_cache(maxsize=1024)
def qr_svg(url: str, label: str) -> str:
    """Inline SVG QR code of a page address; cached because the address never changes."""
    svg = segno.make(url, error="m").svg_inline(
        scale=3, border=2, title=label, svgclass="qr-code", lineclass=None
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


@require_safe
def home(request):
    today = timezone.localdate()
    context = {
        "items": DisclosureItem.objects.public().only(
            "title", "index_number", "published_on", "category"
        )[:8],
        "open_notices": HonoraryCitizenNotice.objects.public().filter(
            notice_start__lte=today, notice_end__gte=today
        ),
        "reports": published_reports()[:5],
        "office": current_office(),
        "nav": "home",
    }
    return render(request, "publicsite/home.html", context)


def search_disclosures(queryset, q: str):
    # On PostgreSQL each of these icontains is served by a pg_trgm GIN index (migration
    # 0002); Chinese has no word boundaries, so substring matching is what readers expect.
    return queryset.filter(
        Q(title__icontains=q)
        | Q(summary__icontains=q)
        | Q(body__icontains=q)
        | Q(document_number__icontains=q)
        | Q(index_number=q)
    )


@require_safe
def disclosure_list(request):
    base = DisclosureItem.objects.public()
    years = [d.year for d in base.dates("published_on", "year", order="DESC")]
    form = CatalogueFilterForm(request.GET or None, years=years)
    items = base.only(
        "title",
        "index_number",
        "published_on",
        "category",
        "summary",
        "document_number",
    )
    status = 200
    q = ""
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
        if q:
            items = search_disclosures(items, q)
        if form.cleaned_data["year"]:
            items = items.filter(published_on__year=form.cleaned_data["year"])
        if form.cleaned_data["category"]:
            items = items.filter(category=form.cleaned_data["category"])
        if form.cleaned_data["validity"]:
            items = items.with_validity(form.cleaned_data["validity"])
    elif form.is_bound:
        status = 400
        items = items.none()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    notices = []
    if q:
        notices = HonoraryCitizenNotice.objects.public().filter(
            Q(title__icontains=q) | Q(body__icontains=q)
        )[:5]
    context = {
        "form": form,
        "page": page,
        "q": q,
        "querystring": querystring.urlencode(),
        "matching_notices": notices,
        "nav": "disclosure",
    }
    return render(request, "publicsite/disclosure_list.html", context, status=status)


# Fields the detail page shows; a change to any of them changes the cached page's key.
DETAIL_FIELDS = [
    "id",
    "title",
    "index_number",
    "category",
    "method",
    "document_number",
    "publisher",
    "generated_on",
    "published_on",
    "repealed_on",
    "summary",
    "body",
    "status",
    "revised_on",
    "expires_on",
    "interpretation_id",
    "view_count",
]
# Stand-in for the only per-request part of the page, the view count; filled in on every
# response. (Public pages carry no CSRF token: the language switch is its own page.)
VIEW_COUNT_SLOT = "fao-view-count-slot-5e1c"
_page_cache: OrderedDict[tuple, tuple[bytes, bytes]] = OrderedDict()
_page_cache_lock = threading.Lock()
PAGE_CACHE_SIZE = 128


@functools.cache
def _detail_sql(vendor: str) -> dict[str, str]:
    """The detail page's statements, written out once: on the hottest public page the ORM's
    per-query compilation, and every extra round trip to the database, cost more than the
    work itself (bench/bench_public.py). Only model metadata is formatted in; every value is a
    bound parameter."""
    item = DisclosureItem._meta.db_table
    attachment = DisclosureAttachment._meta.db_table
    columns = ", ".join(DisclosureItem._meta.get_field(f).column for f in DETAIL_FIELDS)
    public = (
        "index_number = %s AND status = %s AND published_on IS NOT NULL AND published_on <= %s"
        " AND method <> %s"
    )
    # The item's attachments as one JSON value, so the row and its files come back together.
    owned = f"FROM {attachment} a WHERE a.item_id = {item}.id"
    attachments = {
        "postgresql": "(SELECT COALESCE(json_agg(json_build_array(a.id, a.title, a.sha256)),"
        f" '[]'::json) {owned})",
        "sqlite": f"(SELECT json_group_array(json_array(a.id, a.title, a.sha256)) {owned})",
    }.get(vendor, "'[]'")
    return {
        "select": f"SELECT {columns}, {attachments} FROM {item} WHERE {public}",  # noqa: S608
        "attachments": f"SELECT id, title, sha256 FROM {attachment} WHERE item_id = %s",  # noqa: S608
    }


def disclosure_detail_row(index_number: str):
    """The public item's row (DETAIL_FIELDS, as the database gives them) and its attachments
    (JSON text or decoded JSON); None if the item is not public. Views are counted apart
    (disclosure.viewcounts), so reading the page writes nothing."""
    vendor = connection.vendor
    sql = _detail_sql(vendor)
    params = [
        index_number,
        DisclosureItem.Status.PUBLISHED,
        timezone.localdate().isoformat(),
        DisclosureItem.Method.WITHHELD,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql["select"], params)
        row = cursor.fetchone()
        if row is None:
            return None
        *row, attachments = row
        if vendor not in ("postgresql", "sqlite"):
            cursor.execute(sql["attachments"], [row[0]])
            attachments = [list(r) for r in cursor.fetchall()]
    return tuple(row), attachments


def _validity_links(row: tuple) -> tuple:
    """The item's validity today (有效 / 已修订 / 已废止 / 已失效), the public revision that
    replaced it, its 政策解读 and the policies it interprets, as (index number, title) pairs:
    a revised document's page names its current version, and a policy and its
    interpretation link to each other (国办发〔2017〕47号)."""
    item = _item_from_row(row)
    public = DisclosureItem.objects.public()
    current = None
    if item.revised_on:
        revision, seen = item.pk, set()
        while revision is not None and revision not in seen:
            seen.add(revision)
            found = public.filter(supersedes_id=revision).values_list("pk", "index_number", "title")
            row_found = next(iter(found), None)
            if row_found is None:
                break
            revision, current = row_found[0], row_found[1:]
    interpretation = None
    if item.interpretation_id:
        interpretation = next(
            iter(public.filter(pk=item.interpretation_id).values_list("index_number", "title")),
            None,
        )
    interpreted = ()
    if item.category == DisclosureItem.Category.INTERPRETATION:
        interpreted = tuple(
            public.filter(interpretation_id=item.pk).values_list("index_number", "title")
        )

    def linked(pair):
        return None if pair is None else (pair[0].replace("/", "-"), pair[1], pair[0])

    return (
        item.validity(),
        linked(current),
        linked(interpretation),
        tuple(linked(pair) for pair in interpreted),
    )


def _item_from_row(row: tuple) -> DisclosureItem:
    values = {
        name: DisclosureItem._meta.get_field(name).to_python(value)
        for name, value in zip(DETAIL_FIELDS, row, strict=True)
    }
    return DisclosureItem(**values)


def _attachments_from(raw) -> list[dict]:
    rows = json.loads(raw) if isinstance(raw, str) else raw
    return [
        {"pk": pk, "title": title, "sha256": sha256} for pk, title, sha256 in sorted(rows or [])
    ]


def _cached_page(key: tuple) -> tuple[bytes, bytes] | None:
    with _page_cache_lock:
        page = _page_cache.get(key)
        if page is not None:
            _page_cache.move_to_end(key)
        return page


def _store_page(key: tuple, page: tuple[bytes, bytes]) -> None:
    with _page_cache_lock:
        _page_cache[key] = page
        while len(_page_cache) > PAGE_CACHE_SIZE:
            _page_cache.popitem(last=False)


@require_safe
def disclosure_detail(request, slug: str):
    # The view is counted in the shared cache, not by a database write (disclosure.viewcounts).
    found = disclosure_detail_row(index_number_from_slug(slug))
    if found is None:
        raise Http404
    row, attachments = found
    pk = row[0]
    if request.method == "GET":
        count = viewcounts.record_view(pk)
    else:
        count = viewcounts.displayed_count(pk)
    validity = _validity_links(row)
    page_url = request.build_absolute_uri(request.path)
    neighbours = catalogue_neighbours(row[0], DisclosureItem.objects.public())
    footer = current_settings().footer_values()
    # Rendering the page costs far more than counting the view, so the page is rendered once
    # per content, language and address, and only the count changes per request.
    # The key holds every shown value as stored: an edited item or attachment is a new key.
    key = (
        row[:-1],  # all but view_count
        attachments if isinstance(attachments, str) else repr(attachments),
        get_language(),
        page_url,
        neighbours,
        footer,
        validity,
    )
    page = _cached_page(key)
    if page is None:
        item = _item_from_row(row)
        context = {
            "item": item,
            "view_count": VIEW_COUNT_SLOT,
            "language_next": item.get_absolute_url(),
            "attachments": _attachments_from(attachments),
            "qr_svg": qr_svg(page_url, gettext("本页二维码")),
            "page_url": page_url,
            "nav": "disclosure",
            "previous_item": neighbours[0],
            "next_item": neighbours[1],
            "validity": validity[0],
            "current_version": validity[1],
            "interpretation": validity[2],
            "interpreted_documents": validity[3],
        }
        html = render_to_string("publicsite/disclosure_detail.html", context, request=request)
        # Stored encoded and split at the stand-in: no re-encoding, no search per request.
        before, after = html.encode().split(VIEW_COUNT_SLOT.encode())
        page = (before, after)
        _store_page(key, page)
    before, after = page
    response = HttpResponse(b"".join((before, str(count).encode(), after)))
    # The whole-page cache (publicsite.cache) stores the page around the count's slot.
    response.public_page_parts = [before, after]
    response.public_view_count_pk = pk
    return response


@require_safe
def attachment_download(request, slug: str, pk: int):
    attachment = get_object_or_404(
        DisclosureAttachment.objects.select_related("item"),
        pk=pk,
        item__in=DisclosureItem.objects.public().filter(index_number=index_number_from_slug(slug)),
    )
    try:
        data = disclosure_attachment_bytes(attachment)
    except TamperedFileError:
        logger.error("disclosure attachment failed its SHA-256 check: %s", attachment.pk)
        raise Http404 from None
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    suffix = PurePath(attachment.file.name).suffix
    filename = attachment.title if attachment.title.endswith(suffix) else attachment.title + suffix
    # Always a download with a sandboxing policy: an uploaded HTML file must not run here.
    return attachment_response(io.BytesIO(data), filename, public=True)


@require_safe
def language_choice(request):
    """The interface language page. The switch itself is Django's set_language (a POST with
    a CSRF token); keeping its form on this page spares every other page a token."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("publicsite:home")
    context = {"next_url": next_url, "language_next": next_url}
    return render(request, "publicsite/language.html", context)


@require_safe
def notice_list(request):
    today = timezone.localdate()
    # Only notices published after their secrecy review (《政府信息公开条例》第十七条).
    notices = HonoraryCitizenNotice.objects.public().prefetch_related("nominees")
    return render(
        request,
        "publicsite/notice_list.html",
        {"notices": notices, "today": today, "nav": "notices"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def notice_detail(request, batch: int):
    notice = get_object_or_404(HonoraryCitizenNotice.objects.public(), batch=batch)
    today = timezone.localdate()
    is_open = notice.is_open(today)
    status = 200
    form_error = ""
    form = NoticeCommentForm(notice=notice)
    if request.method == "POST":
        form = NoticeCommentForm(request.POST, notice=notice, instance=NoticeComment(notice=notice))
        if not is_open:
            status = 403
        elif not form.is_valid():
            status = 400
        elif form.is_spam:
            # Answer a bot as if it succeeded, and keep nothing.
            return redirect("publicsite:notice_received", batch=notice.batch)
        else:
            try:
                moderation.notice_comment_submit(
                    notice=notice,
                    nominee=form.cleaned_data["nominee"],
                    content=form.cleaned_data["content"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    source=moderation.client_hash(request),
                    today=today,
                )
            except moderation.RateLimited as exc:
                status, form_error = 429, " ".join(exc.messages)
            except ValidationError as exc:
                status, form_error = 400, " ".join(exc.messages)
            else:
                return redirect("publicsite:notice_received", batch=notice.batch)
    context = {
        "notice": notice,
        "nominees": notice.nominees.all(),
        "comments": notice.comments.filter(status=NoticeComment.Status.ACCEPTED)
        .only("content", "reply", "submitted_at", "nominee__name")
        .select_related("nominee")
        .order_by("submitted_at"),
        "is_open": is_open,
        "closed_message": "" if is_open else moderation.notice_closed_message(notice, today),
        "form": form,
        "form_error": form_error,
        "nav": "notices",
    }
    return render(request, "publicsite/notice_detail.html", context, status=status)


@require_safe
def notice_received(request, batch: int):
    notice = get_object_or_404(HonoraryCitizenNotice.objects.public(), batch=batch)
    return render(request, "publicsite/notice_received.html", {"notice": notice, "nav": "notices"})


def published_reports() -> list[AnnualReport]:
    """The newest published revision of each year's report, newest year first."""
    reports = (
        AnnualReport.objects.filter(
            status=AnnualReport.Status.PUBLISHED,
            published_on__lte=timezone.localdate(),
            disclosure__isnull=False,
        )
        .exclude(disclosure__method=DisclosureItem.Method.WITHHELD)
        .select_related("disclosure", "organization")
        .order_by("-year", "-revision")
    )
    newest: dict[int, AnnualReport] = {}
    for report in reports:
        newest.setdefault(report.year, report)
    return list(newest.values())


def _published_report(year: int) -> AnnualReport:
    for report in published_reports():
        if report.year == year:
            return report
    raise Http404


@require_safe
def report_list(request):
    return render(
        request, "publicsite/report_list.html", {"reports": published_reports(), "nav": "reports"}
    )


@require_safe
def report_detail(request, year: int):
    report = _published_report(year)
    context = {
        "report": report,
        "blocks": report_blocks(report.sections.all()),
        "nav": "reports",
    }
    return render(request, "publicsite/report_detail.html", context)


@require_safe
def report_pdf(request, year: int):
    report = _published_report(year)
    try:
        data = report_pdf_bytes(report)
    except TamperedFileError:
        # Never hand out a file that differs from what was approved; the log alerts staff.
        logger.error("published report PDF failed its SHA-256 check: %s", report.pk)
        raise Http404 from None
    except (ValidationError, FileNotFoundError):
        raise Http404 from None
    return attachment_response(io.BytesIO(data), f"{report.title}.pdf", public=True)

from django.shortcuts import get_object_or_404, render

from supervision.models import DisclosureItem


def home(request):
    items = DisclosureItem.objects.filter(published_on__isnull=False)[:10]
    return render(request, "supervision/home.html", {"items": items})


def disclosure_detail(request, slug: str):
    item = get_object_or_404(
        DisclosureItem,
        index_number=slug.rsplit("-", 2)[0] + "/" + "-".join(slug.rsplit("-", 2)[1:]),
    )
    return render(request, "supervision/disclosure_detail.html", {"item": item})

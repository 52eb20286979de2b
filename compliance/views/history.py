"""An entry's audit log: newest first, paged, filtered by spec; and the same as an Atom feed."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from compliance.models import Software
from compliance.views.forms import HistoryForm
from compliance.views.partials import bad_query

PAGE_SIZE = 50
FEED_SIZE = 50


def _changes(software: Software, spec: str):
    changes = software.changes.order_by("-at", "-pk")
    return changes.filter(spec=spec) if spec else changes


def history(request, slug: str):
    software = get_object_or_404(Software, slug=slug)
    form = HistoryForm(request.GET)
    if not form.is_valid():
        return bad_query(request, form)
    spec = form.cleaned_data["spec"]
    page = Paginator(_changes(software, spec), PAGE_SIZE).get_page(form.cleaned_data["page"])
    context = {"software": software, "page": page, "spec": spec, "form": form}
    return render(request, "software/history.html", context)


class HistoryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str) -> Software:
        return get_object_or_404(Software, slug=slug)

    def title(self, software: Software) -> str:
        return f"{software.name}: changes on the XMPP Compliance Dashboard"

    def link(self, software: Software) -> str:
        return reverse("software-history", kwargs={"slug": software.slug})

    def items(self, software: Software):
        return _changes(software, "")[:FEED_SIZE]

    def item_title(self, change) -> str:
        return f"{change.what}: {change.before} → {change.after}"

    def item_description(self, change) -> str:
        return f"by {change.actor}"

    def item_link(self, change) -> str:
        return f"{self.link(change.software)}#change-{change.pk}"

    def item_pubdate(self, change):
        return change.at

    def item_author_name(self, change) -> str:
        return change.actor

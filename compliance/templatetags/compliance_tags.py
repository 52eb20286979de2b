from django import template
from django.utils.html import format_html

from compliance.display import labels
from compliance.pages import software as software_pages
from compliance.pages.specs import spec_page_url
from suites import address
from suites.specs import spec_url

register = template.Library()


@register.filter
def spec_link(spec: str) -> str:
    """The document address of 'RFC 6120' or 'XEP-0030'."""
    return spec_url(spec)


@register.filter
def spec_page(spec: str) -> str:
    """The spec index's page of 'RFC 6120' or 'XEP-0030': every entry that claims it."""
    return spec_page_url(spec)


@register.simple_tag
def spec_links(spec: str) -> str:
    """A spec's name linking to its document, and beside it a link to who claims it."""
    return format_html(
        '<a href="{}">{}</a> <a class="spec-index" href="{}" title="Every entry that claims {}">'
        "(claims)</a>",
        spec_url(spec),
        spec,
        spec_page_url(spec),
        spec,
    )


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "")


@register.filter
def verdict_state(verdict, has_data=True) -> str:
    """compliant / partial / not_compliant / no_data for a Verdict (and the entry's has_data)."""
    return labels.verdict_state(verdict, has_data)


@register.filter
def verdict_icon(verdict, has_data=True) -> str:
    return labels.VERDICT_LABELS[labels.verdict_state(verdict, has_data)][0]


@register.filter
def verdict_words(verdict, has_data=True) -> str:
    """'compliant', 'compliant*' (relies on partial support), 'not compliant', 'no data'."""
    return labels.verdict_words(verdict, has_data)


@register.filter
def level_slug(level: str) -> str:
    return address.level_slug(level)


@register.filter
def waived_words(result, statuses) -> str:
    """A waived feature: 'supported (not required here)' where its spec is claimed."""
    return software_pages.waived_words(result, statuses)

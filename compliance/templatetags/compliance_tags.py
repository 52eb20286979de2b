from django import template

from compliance.display import labels
from suites import address
from suites.specs import spec_url

register = template.Library()


@register.filter
def spec_link(spec: str) -> str:
    """The document address of 'RFC 6120' or 'XEP-0030'."""
    return spec_url(spec)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "")


@register.filter
def verdict_state(verdict) -> str:
    """compliant / partial / not_compliant for a Verdict."""
    return labels.verdict_state(verdict)


@register.filter
def verdict_icon(verdict) -> str:
    return labels.VERDICT_LABELS[labels.verdict_state(verdict)][0]


@register.filter
def verdict_words(verdict) -> str:
    return labels.VERDICT_LABELS[labels.verdict_state(verdict)][1]


@register.filter
def level_slug(level: str) -> str:
    return address.level_slug(level)

from django import template

from compliance import comparison
from compliance.specs import spec_url

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
    return comparison.verdict_state(verdict)


@register.filter
def verdict_icon(verdict) -> str:
    return comparison.VERDICT_LABELS[comparison.verdict_state(verdict)][0]


@register.filter
def verdict_words(verdict) -> str:
    return comparison.VERDICT_LABELS[comparison.verdict_state(verdict)][1]


@register.filter
def level_slug(level: str) -> str:
    return comparison.level_slug(level)

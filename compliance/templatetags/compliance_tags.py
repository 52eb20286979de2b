from django import template

from compliance.specs import spec_url

register = template.Library()


@register.filter
def spec_link(spec: str) -> str:
    """The document address of 'RFC 6120' or 'XEP-0030'."""
    return spec_url(spec)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "")

"""Keep Software.statuses (what the engine reads) in step with the claims it derives from."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from compliance.models import Claim, Software

_batched: ContextVar[frozenset[int]] = ContextVar("claims_batch", default=frozenset())


@contextmanager
def claims_batch(software: Software) -> Iterator[None]:
    """Write many claims of one software (bulk operations included); refresh once at the end."""
    token = _batched.set(_batched.get() | {software.pk})
    try:
        yield
    finally:
        _batched.reset(token)
    software.refresh_statuses()


@receiver(post_save, sender=Claim)
@receiver(post_delete, sender=Claim)
def claim_changed(sender, instance: Claim, origin=None, **kwargs) -> None:
    if instance.software_id in _batched.get():
        return
    if isinstance(origin, Software) or getattr(origin, "model", None) is Software:
        return  # the software itself is being deleted
    software = Software.objects.filter(pk=instance.software_id).first()
    if software is not None:
        software.refresh_statuses()

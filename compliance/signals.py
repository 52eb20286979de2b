"""Keep Software.statuses (what the engine reads) in step with the claims it derives from."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from compliance.models import Claim, Software

_batched: ContextVar[frozenset[int]] = ContextVar("claims_batch", default=frozenset())


@contextmanager
def claims_batch(software: Software) -> Iterator[None]:
    """Write many claims of one software (bulk operations included) in one transaction; its
    statuses are refreshed once, at the end, inside it."""
    token = _batched.set(_batched.get() | {software.pk})
    try:
        with transaction.atomic():
            yield
            software.refresh_statuses()
    finally:
        _batched.reset(token)


def _refresh(software_id: int) -> None:
    if software_id in _batched.get():
        return
    software = Software.objects.filter(pk=software_id).first()
    if software is not None:
        software.refresh_statuses()


@receiver(pre_save, sender=Claim)
def remember_owner(sender, instance: Claim, **kwargs) -> None:
    """A claim moved to another software leaves its former owner to refresh too."""
    if instance.pk is not None:
        instance._former_software_id = (
            Claim.objects.filter(pk=instance.pk).values_list("software_id", flat=True).first()
        )


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance: Claim, **kwargs) -> None:
    former = getattr(instance, "_former_software_id", None)
    if former is not None and former != instance.software_id:
        _refresh(former)
    _refresh(instance.software_id)


@receiver(post_delete, sender=Claim)
def claim_deleted(sender, instance: Claim, origin=None, **kwargs) -> None:
    if isinstance(origin, Software) or getattr(origin, "model", None) is Software:
        return  # the software itself is being deleted
    _refresh(instance.software_id)

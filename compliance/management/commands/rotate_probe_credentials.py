"""Re-encrypt every stored test-account password with the first PROBE_CREDENTIALS_KEY.

Rotation: put the new key first in PROBE_CREDENTIALS_KEY (the old ones after it), run this,
then drop the old keys. A password no key decrypts is reported and left as it is.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from compliance.models import ProbeRun, ServerOwner
from compliance.probing.credentials import CredentialsLost, rotate


class Command(BaseCommand):
    help = "Re-encrypt stored test-account passwords with the first PROBE_CREDENTIALS_KEY."

    def handle(self, *args, **options) -> None:
        rotated = lost = 0
        with transaction.atomic():
            for model in (ProbeRun, ServerOwner):
                for row in model.objects.select_for_update().exclude(secret=None).only("secret"):
                    try:
                        secret = rotate(row.secret)
                    except CredentialsLost:
                        lost += 1
                        continue
                    model.objects.filter(pk=row.pk).update(secret=secret)
                    rotated += 1
        self.stdout.write(f"{rotated} passwords re-encrypted with the first key.")
        if lost:
            self.stderr.write(f"{lost} passwords could not be decrypted with any key: left as is.")

"""Re-encrypt every private file with the newest key of ``FIELD_ENCRYPTION_KEYS``.

Rotation: prepend a new key to ``FIELD_ENCRYPTION_KEYS``, run this command (and
``rotate_id_keys`` for ID numbers), then drop the old key. Files stored before encryption was
switched on are encrypted by the same run.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.audit import audit


class Command(BaseCommand):
    help = _("用最新密钥重新加密所有私有文件（密钥轮换）。")

    def handle(self, *args, **options) -> None:
        if not hasattr(default_storage, "rotate"):
            raise CommandError(_("默认存储不是加密存储（core.storage.EncryptedFileSystemStorage），无法轮换。"))
        seen = changed = 0
        for name in default_storage.walk():
            if name.endswith(".rotating"):
                continue
            seen += 1
            changed += default_storage.rotate(name)
        audit(action="file_keys_rotated", files=seen, reencrypted=changed)
        self.stdout.write(_("已检查 %(seen)s 个文件，重新加密 %(changed)s 个。") % {"seen": seen, "changed": changed})

"""Password rules for staff, configured in AUTH_PASSWORD_VALIDATORS (settings.py): Django's
validators (similar to the username or name, common, all digits), and a minimum length whose
message Django's Chinese catalogue lacks (its plural form is untranslated)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(n)d 个字符。") % {"n": self.min_length}

"""Login with a limit on failed attempts (per address and username, and per address).

Counters live in Django's cache (security/counters.py); configure a shared cache (e.g.
Redis) when running several processes so the limit holds across them.

With DJANGO_DEBUG off (settings.DEMO_LOGINS_ALLOWED), the demo accounts are refused: they
are marked by the password the README publishes (pathways.programs.demo.DEMO_PASSWORD), so
that password never signs anyone in to a production site, whichever account carries it
(load_demo_data --allow-production, or a user who copied it). An account whose password
was changed is a real account.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from pathways.programs.demo import DEMO_PASSWORD
from pathways.security import counters

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60


def _keys(request, username: str) -> tuple[str, str]:
    address = counters.client_address(request)
    # Hashed: a typed username may hold spaces, control characters or 300 bytes, which
    # cache back-ends such as memcached refuse as a key (a 500 at login).
    account = hashlib.sha256(username.strip().lower().encode("utf-8", "replace")).hexdigest()
    return (f"login-failures:{address}:{account}", f"login-failures:{address}")


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "For mange mislykkede forsøg på at logge ind. Vent 15 minutter, og prøv igen."
        ),
        "demo_account": _(
            "Demokonti og demo-adgangskoden kan kun bruges i en udviklingsinstallation, "
            "ikke her. Log ind med din egen konto og adgangskode."
        ),
    }

    def clean(self):
        account_key, address_key = _keys(self.request, self.data.get("username", ""))
        if counters.reached(
            ((account_key, MAX_FAILURES_PER_ACCOUNT), (address_key, MAX_FAILURES_PER_ADDRESS))
        ):
            raise ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        if not settings.DEMO_LOGINS_ALLOWED and constant_time_compare(
            self.data.get("password", ""), DEMO_PASSWORD
        ):
            # Refused before authenticating: says nothing about whether the account exists.
            raise ValidationError(self.error_messages["demo_account"], code="demo_account")
        try:
            return super().clean()
        except ValidationError:
            counters.count((account_key, address_key), WINDOW_SECONDS)
            raise


class RateLimitedLoginView(LoginView):
    form_class = RateLimitedAuthenticationForm

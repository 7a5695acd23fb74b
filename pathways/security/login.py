"""Login with a limit on failed attempts (per address and username, and per address).

Counters live in Django's cache; configure a shared cache (e.g. Redis) when running
several processes so the limit holds across them.
"""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60


def _keys(request, username: str) -> tuple[str, str]:
    address = request.META.get("REMOTE_ADDR", "unknown") if request else "unknown"
    return (
        f"login-failures:{address}:{username.strip().lower()[:150]}",
        f"login-failures:{address}",
    )


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "For mange mislykkede forsøg på at logge ind. Vent 15 minutter, og prøv igen."
        ),
    }

    def clean(self):
        account_key, address_key = _keys(self.request, self.data.get("username", ""))
        if (
            cache.get(account_key, 0) >= MAX_FAILURES_PER_ACCOUNT
            or cache.get(address_key, 0) >= MAX_FAILURES_PER_ADDRESS
        ):
            raise ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        try:
            return super().clean()
        except ValidationError:
            for key in (account_key, address_key):
                cache.add(key, 0, WINDOW_SECONDS)
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, WINDOW_SECONDS)
            raise


class RateLimitedLoginView(LoginView):
    form_class = RateLimitedAuthenticationForm

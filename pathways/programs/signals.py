"""Signals other apps listen to, so programs never imports the apps built on it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by services.save_step inside its transaction, after a step's content changed:
# program (the locked row), user, step, and the step's document before and after
# (document.step_document). A receiver's writes commit or roll back with the save.
step_saved = Signal()

"""The worker's mail jobs: poll the mailboxes, send the notifications."""

from __future__ import annotations

import logging
import time

from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from tierdesk.channels.actions import note_poll, sync_default_mailbox
from tierdesk.channels.email import imap, outbound
from tierdesk.channels.inbound import forget_old_counters
from tierdesk.channels.models import Mailbox

logger = logging.getLogger(__name__)


@task()
def poll_mailboxes() -> int:
    """Poll every active IMAP mailbox once; a failing mailbox does not stop the others."""
    try:
        sync_default_mailbox()
    except ImproperlyConfigured:
        logger.exception("the default mailbox is misconfigured; polling the others")
    fetched = 0
    for mailbox in Mailbox.objects.filter(is_active=True, poll_imap=True).exclude(host=""):
        try:
            fetched += imap.poll(mailbox).fetched
        except Exception as error:
            logger.exception("polling mailbox %s failed", mailbox.name)
            note_poll(mailbox.pk, f"{type(error).__name__}: {error}")
        else:
            note_poll(mailbox.pk)
    forget_old_counters()
    return fetched


# One run goes on while whole batches are due, up to this long (the job comes every 10 s).
SEND_BUDGET_SECONDS = 8.0
# Between two batches the database is left to the others for a moment: on SQLite a worker
# writing batch after batch kept the web workers' writes waiting for the lock.
PAUSE_BETWEEN_BATCHES = 0.05


@task()
def send_notifications() -> int:
    """Read the timeline after the cursor into notifications, then send those due, batch
    after batch while whole batches are due and the time budget lasts (the next run goes
    on). One batch per run capped a desk at 20 mails a second however many workers it had."""
    deadline = time.monotonic() + SEND_BUDGET_SECONDS
    sent = 0
    while True:
        outbound.collect()
        batch = outbound.send_due()
        sent += batch
        if batch < outbound.SEND_BATCH or time.monotonic() >= deadline:
            return sent
        time.sleep(PAUSE_BETWEEN_BATCHES)

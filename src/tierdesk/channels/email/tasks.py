"""The worker's mail jobs: poll the mailboxes, send the notifications."""

from __future__ import annotations

import logging

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


@task()
def send_notifications() -> int:
    """Read the timeline after the cursor into notifications, then send those due."""
    outbound.collect()
    return outbound.send_due()

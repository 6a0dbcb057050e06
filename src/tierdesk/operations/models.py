from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One claimed time slot of a periodic job. The unique constraint is the lock: of all the
    workers that try to claim a slot, exactly one inserts the row and enqueues the job."""

    job = models.CharField(max_length=200)
    slot = models.BigIntegerField(
        help_text="Seconds since the epoch divided by the job's interval."
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")]
        indexes = [models.Index(fields=["claimed_at"], name="scheduledrun_claimed")]

    def __str__(self) -> str:
        return f"{self.job} #{self.slot}"

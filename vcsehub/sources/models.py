from __future__ import annotations

from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    """One attempt to import one source: what was read, what was loaded, and how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    source_id = models.CharField(max_length=64, db_index=True)
    locations = models.JSONField(default=list, help_text="URLs or paths read")
    files = models.JSONField(default=list, help_text="[{name, bytes, sha256}] of each file read")
    sha256 = models.CharField(
        max_length=64, blank=True, help_text="of the file, or of the files' digests"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.BigIntegerField(default=0)
    rows_loaded = models.BigIntegerField(default=0)
    rows_rejected = models.BigIntegerField(default=0)
    error = models.TextField(blank=True, help_text="why it failed, in plain words")
    log = models.TextField(blank=True)
    licence = models.CharField(
        max_length=200, blank=True, help_text="licence of this file, if it has its own"
    )
    data_date = models.DateField(
        null=True, blank=True, help_text="date the data describes, if known"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source_id", "status", "-finished_at"])]

    def __str__(self) -> str:
        return f"{self.source_id} run {self.pk} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def add_log(self, line: str) -> None:
        stamp = timezone.now().strftime("%H:%M:%S")
        self.log += f"{stamp} {line}\n"

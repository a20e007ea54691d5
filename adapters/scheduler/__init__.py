"""APScheduler 3 as dojobot's alarm clock."""

from adapters.scheduler.alarm import ApschedulerAlarm

__all__ = ["ApschedulerAlarm"]

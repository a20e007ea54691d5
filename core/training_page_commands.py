"""The training-page commands of the shared grammar (`core.training_page_grammar`).

/training-page [member-id]   your training page (instructors, admins: anyone's)
/class-page <class-id>       instructors, admins: a weekly class's (or a session's) page
/overview                    admins: the association overview
"""

from __future__ import annotations

from core.model import Model


class TrainingPage(Model):
    member_id: str | None = None
    """None: the member asking."""


class ClassPage(Model):
    class_id: str


class OverviewPage(Model):
    pass


TrainingPageCommand = TrainingPage | ClassPage | OverviewPage

"""The substitute-instructor commands of the shared grammar (`core.substitute_grammar`).

/need-sub <id>    the session's instructor (or an admin) asks for a substitute
/take-sub <id>    an eligible instructor accepts (the Accept button runs it)
"""

from __future__ import annotations

from core.model import Model


class NeedSub(Model):
    session_id: str


class TakeSub(Model):
    session_id: str


SubstituteCommand = NeedSub | TakeSub

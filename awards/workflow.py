"""The road of a dossier, as one table of allowed moves: the services refuse any other move and
the pages offer exactly these.

A move belongs to one side: the proposing unit's officers (SENDER) or the receiving office's
(RECEIVER: the officers of the unit that keeps the addressed authority's book; for an authority
outside the registry, the proposing unit's officers, who record what comes back).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import DossierAction as A
from .choices import DossierState as D
from .choices import NomineeState as N

SENDER, RECEIVER = "sender", "receiver"


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple          # the states it may start from
    target: str             # the state it leaves
    side: str               # SENDER or RECEIVER
    needs_reason: bool      # refused without a note saying why
    label: str              # the button
    style: str = "outline-secondary"


DOSSIER_MOVES = (
    Move(A.SEND, (D.DRAFT, D.RETURNED), D.SENT, SENDER, False, pgettext_lazy("dossier", "Send"), "danger"),
    Move(A.RECEIVE, (D.SENT,), D.RECEIVED, RECEIVER, False, pgettext_lazy("dossier", "Receive"), "danger"),
    Move(A.RETURN, (D.SENT, D.RECEIVED), D.RETURNED, RECEIVER, True, _("Return for correction")),
)

# A nominee is reviewed while its dossier is received (or settled, to reopen a refusal).
REVIEW_STATES = (D.RECEIVED, D.SETTLED)
NOMINEE_MOVES = (
    Move(A.APPROVE, (N.PROPOSED, N.LOWERED, N.REJECTED), N.APPROVED, RECEIVER, False,
         pgettext_lazy("nominee", "Approve"), "success"),
    Move(A.LOWER, (N.PROPOSED, N.APPROVED, N.REJECTED), N.LOWERED, RECEIVER, True, _("Approve at a lower honour")),
    Move(A.REJECT, (N.PROPOSED, N.APPROVED, N.LOWERED), N.REJECTED, RECEIVER, True,
         pgettext_lazy("nominee", "Do not approve"), "outline-danger"),
    Move(A.RECONSIDER, (N.APPROVED, N.LOWERED, N.REJECTED), N.PROPOSED, RECEIVER, False, _("Reopen the review")),
    # Carried up in a dossier of this level, or granted by a decision: both leave this level.
    Move(A.FORWARD, (N.APPROVED, N.LOWERED), N.FORWARDED, RECEIVER, False, _("Forward up")),
    Move(A.DECIDE, (N.APPROVED, N.LOWERED), N.DECIDED, RECEIVER, False, _("Make the decision")),
)

# The proposing unit edits its nominees, documents and details only in these states.
EDITABLE = (D.DRAFT, D.RETURNED)
# A nominee that has left this level; a dossier whose nominees all have is settled.
FINAL = (N.REJECTED, N.FORWARDED, N.DECIDED)
APPROVED = (N.APPROVED, N.LOWERED)


def dossier_move(action):
    return next(m for m in DOSSIER_MOVES if m.action == action)


def nominee_move(action):
    return next(m for m in NOMINEE_MOVES if m.action == action)


def dossier_moves(state, sides):
    """The dossier's moves open from this state to a user acting on these sides."""
    return [m for m in DOSSIER_MOVES if state in m.sources and m.side in sides]


def review_moves(dossier_state, nominee_state, sides):
    """The review buttons beside a nominee (forwarding and deciding have their own pages)."""
    if dossier_state not in REVIEW_STATES or RECEIVER not in sides:
        return []
    return [m for m in NOMINEE_MOVES if nominee_state in m.sources and m.action not in (A.FORWARD, A.DECIDE)]


def settled_state(nominee_states):
    """A received dossier is settled once every nominee has left this level."""
    states = list(nominee_states)
    return D.SETTLED if states and all(s in FINAL for s in states) else D.RECEIVED

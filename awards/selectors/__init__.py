"""Every shared read: scoped querysets and prepared data, one module per area; the names are
re-exported here so callers write selectors.award_queryset, selectors.dossier_inbox …"""

from .registry import *  # noqa: F401,F403
from .nominations import *  # noqa: F401,F403

"""The registry's data, by area; every model and shared name is importable from awards.models."""

from .base import *  # noqa: F401,F403
from .people import *  # noqa: F401,F403
from .registry import *  # noqa: F401,F403
from .printing import *  # noqa: F401,F403
from .evidence import *  # noqa: F401,F403
from .nominations import *  # noqa: F401,F403
from .councils import *  # noqa: F401,F403
from .jobs import *  # noqa: F401,F403

"""The documents each step of the road to a decision produces: renderers that take prepared data
(selectors) and return bytes, like certificates/."""

from .ballot import ballot_pdf
from .pdf import document_pdf

__all__ = ["ballot_pdf", "document_pdf"]

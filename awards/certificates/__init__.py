"""Certificate rendering: reportlab only; takes prepared data, returns bytes."""

from .renderer import CertificateData, CertificateRenderer, render_pdf

__all__ = ["CertificateData", "CertificateRenderer", "render_pdf"]

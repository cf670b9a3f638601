"""Certificates: content (plain data + wording), ReportLab rendering, QR codes and signed
verification tokens. Database work lives in :mod:`competition.services.certificates`."""

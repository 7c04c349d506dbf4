"""Renderers: finished results in, bytes or text out; no scoring and no I/O here."""

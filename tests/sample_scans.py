"""Small real scans written by code (fictitious, a plain coloured page): since intake opens every
scan (delegation.scans.check_scan), a test's PDF, JPEG or PNG must be one that really opens."""

from __future__ import annotations

import io

from PIL import Image


def png(size: tuple[int, int] = (40, 30), colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int] = (40, 30), colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def pdf(pages: int = 1, colour: str = "white") -> bytes:
    """A PDF of `pages` A4-shaped pages, as Pillow writes one."""
    drawn = [Image.new("RGB", (210, 297), colour) for _ in range(pages)]
    out = io.BytesIO()
    drawn[0].save(out, format="PDF", save_all=True, append_images=drawn[1:])
    return out.getvalue()


PDF = pdf()
JPEG = jpeg()
PNG = png()

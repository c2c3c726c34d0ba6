"""What a scan is, judged from its bytes, and whether it can be opened without harm.

A scan comes from outside (an upload, a unit's mail folder), so its name says nothing: an HTML page
or an SVG named `护照.jpg` would reach a browser as markup, and a PNG of 2 KB may declare 30 000 ×
30 000 pixels and need gigabytes once decoded. So the kind comes from the first bytes (PDF, JPEG or
PNG, nothing else), an image's pixels are capped before anything is decoded (Pillow's
`MAX_IMAGE_PIXELS`, set explicitly from `[security] max_image_megapixels`, its warning an error),
and the whole file is then decoded once, to be sure it is what it says. These checks run in a
worker process (`delegation.sandbox` job "check_scan"), never in the desk's own.
"""

from __future__ import annotations

import io
import warnings

from delegation.errors import DelegationError

# Content, not the file name, decides what a file is: (first bytes, content type, kind).
MAGIC = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
_PILLOW_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG"}


def sniff(data: bytes, name: str) -> tuple[str, str]:
    """The content type and kind ("pdf", "jpg", "png") of a scan, judged by its first bytes."""
    for magic, content_type, kind in MAGIC:
        if data.startswith(magic):
            return content_type, kind
    raise DelegationError("error.scan.kind", name=name)


def check_scan(data: bytes, name: str, max_pixels: int) -> tuple[str, str]:
    """A scan's (kind, content type) once it is known to open: an image within `max_pixels` that
    decodes whole, or a PDF with pages. Anything else is refused in one sentence."""
    if not data:
        raise DelegationError("error.scan.empty", name=name)
    content_type, kind = sniff(data, name)
    if content_type == "application/pdf":
        _check_pdf(data, name)
    else:
        open_image(data, content_type, name, max_pixels, verify=True).close()
    return kind, content_type


def open_image(data: bytes, content_type: str, name: str, max_pixels: int, *, verify: bool = False):
    """A JPEG or PNG decoded (a `PIL.Image.Image`), refused if it declares more than `max_pixels`
    or does not decode. Only the format its first bytes name is tried, so a file cannot be opened
    as another of Pillow's formats. `verify`: also run Pillow's structural check (PNG chunk CRCs)."""
    from PIL import Image

    image_format = _PILLOW_FORMAT[content_type]
    # Set on every call: a module-wide default left to chance would be Pillow's 89 megapixels.
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        # Pillow only warns between the limit and twice the limit; here the limit is the limit.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            if verify:
                with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                    image.verify()  # a verified image cannot be decoded: Pillow says reopen it
            image = Image.open(io.BytesIO(data), formats=[image_format])
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise DelegationError("error.scan.pixels", name=name, millions=max_pixels / 1e6) from None
        except MemoryError:
            raise  # the worker answers this one itself: "more memory than allowed"
        except Exception:  # a decoder's complaint, whichever it is: the bytes are not that image
            raise DelegationError("error.scan.damaged_image", name=name, image_format=image_format) from None
    return image


def _check_pdf(data: bytes, name: str) -> None:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise _unopenable_pdf(name) from None
    try:
        if len(pdf) == 0:
            raise DelegationError("error.scan.no_pages", name=name)
        pdf[0].close()  # its first page loads: the page tree is sound
    except pypdfium2.PdfiumError:
        raise _unopenable_pdf(name) from None
    finally:
        pdf.close()


def _unopenable_pdf(name: str) -> DelegationError:
    return DelegationError("error.scan.pdf", name=name)

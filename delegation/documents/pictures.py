"""A stored scan drawn as pictures for the page, in a worker (`documents.scan_pictures` runs it
there): an image turned upright and shrunk, or a PDF's first pages rendered."""

from __future__ import annotations

from delegation.errors import DelegationError
from delegation.scans import open_image

VIEW_PAGES = 5  # the pages of a PDF scan shown on the page (a passport's cover page is the first)
VIEW_SCALE = 1.5  # 108 dpi: a passport's machine-readable zone is legible
# Streamlit's widest picture (image_utils.MAXIMUM_CONTENT_WIDTH): st.image resizes, so decodes, any
# wider one in the server's process; one drawn at most this wide is passed on as it is.
VIEW_WIDTH = 1460
VIEW_HEIGHT = 4 * VIEW_WIDTH


def scan_pictures_here(data: bytes, content_type: str, name: str, max_pixels: int) -> list[bytes]:
    """In a worker: an image, or a PDF's first `VIEW_PAGES` pages, as PNGs at most `VIEW_WIDTH`
    wide, so that `st.image` shows them without decoding them again (an image turned upright as
    its EXIF orientation says, as a browser would show it)."""
    import io

    from PIL import ImageOps

    if content_type != "application/pdf":
        image = open_image(data, content_type, name, max_pixels)
        try:
            image = ImageOps.exif_transpose(image)
        except MemoryError:
            raise
        except Exception:  # a damaged EXIF block: the picture as it was stored
            pass
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "PA", "P") else "RGB")
        image.thumbnail((VIEW_WIDTH, VIEW_HEIGHT))
        out = io.BytesIO()
        image.save(out, format="PNG", compress_level=1)  # for the page only: speed over size
        return [out.getvalue()]

    import pypdfium2

    pictures = []
    try:
        pdf = pypdfium2.PdfDocument(data)
        for index in range(min(len(pdf), VIEW_PAGES)):
            page = pdf[index]
            width, height = page.get_size()  # in points; a PDF may declare a page metres wide
            scale = min(VIEW_SCALE, VIEW_WIDTH / max(width, 1), VIEW_HEIGHT / max(height, 1))
            out = io.BytesIO()
            page.render(scale=scale).to_pil().save(out, format="PNG", compress_level=1)
            pictures.append(out.getvalue())
    except pypdfium2.PdfiumError:
        raise DelegationError("error.documents.pdf_not_shown", name=name) from None
    return pictures

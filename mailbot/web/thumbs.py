"""Thumbnails of the customer's photos, made from the store's copy with Pillow.

A photo is hostile data like the rest of a message: images that would
decode to more than MAX_PIXELS are refused before decoding, and whatever
Pillow cannot read gets no thumbnail (the page still lists the file).
The thumbnail is re-encoded as PNG, so what the browser gets is always a
plain image we made, never the customer's bytes.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

SIDE = 240
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; phones make 12 to 48


def thumbnail(data: bytes) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return None
                image.draft("RGB", (SIDE * 2, SIDE * 2))  # JPEG: decode at a reduced scale, much faster
                image = ImageOps.exif_transpose(image)  # phone photos are stored sideways
                image.thumbnail((SIDE, SIDE))
                out = io.BytesIO()
                image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
                return out.getvalue()
    except Exception:  # truncated, unknown or hostile image: listed without a thumbnail
        return None

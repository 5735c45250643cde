"""QR codes (``segno``: pure Python, no network) as PNG ``data:`` URIs that pages and the
PDF renderer embed without a fetch: certificates' verification links, evaluation slips."""

import segno


def qr_data_uri(url: str, scale: int = 4) -> str:
    return segno.make(url, error="m").png_data_uri(scale=scale, border=4)

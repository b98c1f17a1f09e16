"""Asset labels: an A4 sheet of 3 × 8 labels (70 × 37 mm), each with the sicil no as text and as a QR code.

The QR payload is the sicil no itself (TMY md. 36: the number marked on the item), so a count board
scanning with a phone browser reads the same text a person would type.
"""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathImage

from biys.inventory.models import Asset

COLUMNS, ROWS = 3, 8
PER_PAGE = COLUMNS * ROWS
MAX_LABELS = 20 * PER_PAGE


@dataclass(frozen=True)
class Label:
    sicil_no: str
    name: str
    detail: str
    unit: str
    qr: str  # data: URI of the QR code as SVG


def qr_svg(payload: str) -> bytes:
    image = qrcode.make(payload, image_factory=SvgPathImage, error_correction=ERROR_CORRECT_M, border=1)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_data_uri(payload: str) -> str:
    return "data:image/svg+xml;base64," + b64encode(qr_svg(payload)).decode("ascii")


def label_for(asset: Asset) -> Label:
    detail = " ".join(part for part in (asset.brand, asset.model) if part) or str(asset.kind)
    serial = f" · S/N {asset.serial}" if asset.serial else ""
    return Label(asset.sicil_no, asset.name, f"{detail}{serial}", str(asset.owner_unit), qr_data_uri(asset.sicil_no))


def label_pages(assets: Iterable[Asset], skip: int = 0) -> list[list[list[Label | None]]]:
    """Pages of rows of labels; ``skip`` leaves the first labels of a partly used sheet empty."""
    cells: list[Label | None] = [None] * (skip % PER_PAGE)
    cells += [label_for(asset) for asset in assets]
    pages = []
    for start in range(0, max(len(cells), 1), PER_PAGE):
        page = cells[start : start + PER_PAGE]
        page += [None] * (PER_PAGE - len(page))
        pages.append([page[row * COLUMNS : (row + 1) * COLUMNS] for row in range(ROWS)])
    return pages

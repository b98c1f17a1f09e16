"""The organization chart (Mersin md. 5, KOS 2.4) laid out from the unit tree as SVG.

A simple tidy layout: leaves take consecutive columns, a parent sits centred above its children.
The same SVG is shown on screen and embedded in the printable PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape

from biys.org.models import Unit

BOX_W, BOX_H, GAP_X, GAP_Y = 170, 58, 18, 46


@dataclass
class Node:
    unit: Unit
    children: list[Node] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0


@dataclass
class Chart:
    roots: list[Node]
    width: float
    height: float
    svg: str


def build_chart(units: list[Unit], root_id: int | None = None) -> Chart:
    nodes = {unit.pk: Node(unit) for unit in units}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent else roots).append(node)
    if root_id is not None and root_id in nodes:
        roots = [nodes[root_id]]
    next_column = [0.0]
    depth_max = [0]
    for root in roots:
        _place(root, 0, next_column, depth_max)
    width = max(next_column[0] * (BOX_W + GAP_X), BOX_W)
    height = (depth_max[0] + 1) * (BOX_H + GAP_Y)
    return Chart(roots, width, height, _svg(roots, width, height))


def _place(node: Node, depth: int, next_column: list[float], depth_max: list[int]) -> None:
    depth_max[0] = max(depth_max[0], depth)
    node.y = depth * (BOX_H + GAP_Y)
    for child in node.children:
        _place(child, depth + 1, next_column, depth_max)
    if node.children:
        node.x = (node.children[0].x + node.children[-1].x) / 2
    else:
        node.x = next_column[0] * (BOX_W + GAP_X)
        next_column[0] += 1


def _wrap(text: str, limit: int = 24) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > limit:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return lines[:3]


def _svg(roots: list[Node], width: float, height: float) -> str:
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 {width + 8:.0f} {height + 8:.0f}" '
        f'width="{width + 8:.0f}" height="{height + 8:.0f}" font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    stack = list(roots)
    while stack:
        node = stack.pop()
        parts.extend(_node_svg(node))
        stack.extend(node.children)
    parts.append("</svg>")
    return "".join(parts)


def _node_svg(node: Node) -> list[str]:
    unit: Any = node.unit
    fill = "#e7f1ff" if unit.is_it else "#f8f9fa"
    out = [
        f'<a href="{escape(unit.get_absolute_url())}"><rect x="{node.x:.0f}" y="{node.y:.0f}" width="{BOX_W}" '
        f'height="{BOX_H}" rx="6" fill="{fill}" stroke="#6c757d"/>'
    ]
    centre = node.x + BOX_W / 2
    lines = _wrap(unit.name)
    top = node.y + (BOX_H - 13 * len(lines)) / 2 + 10  # centre the block of lines in the box
    for index, line in enumerate(lines):
        y = top + index * 13
        out.append(f'<text x="{centre:.0f}" y="{y:.0f}" text-anchor="middle">{escape(line)}</text>')
    out.append("</a>")
    for child in node.children:
        x1, y1 = node.x + BOX_W / 2, node.y + BOX_H
        x2, y2 = child.x + BOX_W / 2, child.y
        mid = (y1 + y2) / 2
        out.append(f'<path d="M{x1:.0f} {y1:.0f} V{mid:.0f} H{x2:.0f} V{y2:.0f}" fill="none" stroke="#6c757d"/>')
    return out

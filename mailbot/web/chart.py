"""The quality page's chart: one stacked bar per row, drawn on the server as inline SVG (no script, no library)."""

from __future__ import annotations

from markupsafe import Markup, escape

from ..delivery.quality import QualityRow

COLOURS = (("unchanged", "#2e7d32"), ("edited", "#f9a825"), ("rejected", "#c62828"))
ROW, LABEL, WIDTH = 22, 190, 620


def quality_chart(rows: tuple[QualityRow, ...], title: str) -> Markup:
    """Approved unchanged, approved with edits and rejected, per row, scaled to the largest row."""
    if not rows:
        return Markup("")
    scale = (WIDTH - LABEL - 60) / max(max(r.total for r in rows), 1)
    height = ROW * len(rows) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, row in enumerate(rows):
        y = i * ROW
        parts.append(f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
                     f'fill="#333">{escape(_fit(row.key))}</text>')
        x = float(LABEL)
        for name, colour in COLOURS:
            count = getattr(row, name)
            if count:
                w = count * scale
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}" fill="{colour}">'
                             f"<title>{escape(row.key)}: {count} {name}</title></rect>")
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="12" fill="#333">{row.total}</text>')
    legend_y = ROW * len(rows) + 18
    x = LABEL
    for name, colour in COLOURS:
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="{legend_y}" font-size="12" fill="#333">{name}</text>')
        x += 110
    parts.append("</svg>")
    return Markup("".join(parts))


def _fit(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"

"""The pathway diagram as SVG, drawn from a program document and its generic model.

Life phases run left to right and sectors are lanes top to bottom, both as the model file
defines them (`pathway_diagram` in fixtures/generic_model/*.yaml). Each relevant part sits in
the phases its section names and in the lane of its responsible actor's sector; the entry
points stand side by side at the left, the cross-cutting themes in a band across every phase,
and each transition is a numbered arrow from the sender's lane to the receiver's, listed
with who hands over to whom under the drawing (`PathwayDiagram.transitions`).

One drawing serves the PDF and the program page. Units are printed points: the PDF shows it
`PRINT_WIDTH_PT` wide (static/pdf/program.css), so a font size here is its printed size.
Black and white: kinds differ by line style and pattern, never by colour alone. Every text
is escaped by ElementTree; layout is estimated from character counts (no font metrics, no
external tools) so drawing takes a few milliseconds.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pathways.programs.data import ModelData
from pathways.programs.models import Relevance
from pathways.programs.readable import actor_names
from pathways.programs.steps import Step, StepKind

# The PDF's text column (A4 portrait, 22 + 20 mm margins: 168 mm); the CSS prints the
# drawing exactly this wide, so one unit is one printed point.
PRINT_WIDTH_PT = 476
WIDTH = PRINT_WIDTH_PT
FONT = 9.0  # the smallest text in the drawing, in printed points (≥ 8.5 pt)
LINE = 11.0
CHAR = 0.5  # estimated average character width per point of font size (Source Sans 3)
LABEL_W = 66.0  # the lanes' names
ENTRY_W = 116.0  # the entry points
GRID_X = LABEL_W + ENTRY_W + 18  # first phase column
STRIP = 15.0  # room above and below a lane's boxes where transition arrows start and end
BOX_PAD = 4.0
GAP = 4.0
OTHER_LANE = "__other"


@dataclass(frozen=True)
class DiagramTransition:
    number: int
    title: str
    section: str
    sending: str
    receiving: str

    @property
    def label(self) -> str:
        return f"{self.sending} → {self.receiving}"


@dataclass
class PathwayDiagram:
    svg: SafeString
    alt: str
    transitions: list[DiagramTransition] = field(default_factory=list)


@dataclass
class _Part:
    number: str  # the model's section number (identifies the part)
    title: str
    relevant: bool
    responsible: str
    lane: str
    span: tuple[int, int]  # first and last phase index
    phases_text: str
    # The number printed beside the title: the document's own ("6.4") in the PDF, which
    # numbers its parts itself; the model's elsewhere.
    shown_number: str = ""

    @property
    def heading(self) -> str:
        return f"{self.shown_number} {self.title}".strip()


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float


def _wrap(text: str, width: float, size: float = FONT) -> list[str]:
    chars = max(8, int((width - 2 * BOX_PAD) / (CHAR * size)))
    # Words stay whole (a name or "voksenlivet" split without a hyphen misreads).
    return textwrap.wrap(text, width=chars, break_long_words=False) or [""]


def _span_text(labels: list[str], span: tuple[int, int]) -> str:
    first, last = span
    if first == 0 and last == len(labels) - 1:
        return _("alle livsfaser")
    if first == last:
        return labels[first]
    return f"{labels[first]} – {labels[last]}"


class _Reader:
    """What the diagram needs from the document: per part its relevance, responsible
    actor's lane and phases; per transition its sending and receiving actors."""

    def __init__(self, document: dict[str, Any], model: ModelData, axes: dict[str, Any]):
        self.content: dict[str, Any] = document.get("content") or {}
        self.names = actor_names(document)
        self.phase_index = {p["key"]: i for i, p in enumerate(axes["phases"])}
        self.phase_labels = [p["label"] for p in axes["phases"]]
        lane_of_sector = {s: lane["key"] for lane in axes["lanes"] for s in lane["sectors"]}
        sector_of_type = {t.key: t.sector for t in model.actor_types}
        actors_step = next((s for s in model.steps if s.kind == StepKind.ACTORS), None)
        rows = (self.content.get(actors_step.key) or {}).get("actors") if actors_step else None
        self.order = {ref: i for i, ref in enumerate(self.names)}
        self.lane_of_actor = {
            row.get("ref"): lane_of_sector.get(
                sector_of_type.get(row.get("actor_type")), OTHER_LANE
            )
            for row in rows or []
            if isinstance(row, dict)
        }

    def refs(self, value: Any) -> list[str]:
        found = value if isinstance(value, list) else [value]
        return sorted((r for r in found if r), key=lambda r: self.order.get(r, len(self.order)))

    def span(self, *phase_lists: list[str]) -> tuple[int, int]:
        """The first and last phase of the first non-empty list; all phases if none."""
        for phases in phase_lists:
            found = [self.phase_index[p] for p in phases or [] if p in self.phase_index]
            if found:
                return min(found), max(found)
        return 0, len(self.phase_labels) - 1

    def part(self, step: Step) -> _Part:
        answers = self.content.get(step.key) or {}
        responsible = answers.get("responsible")
        span = self.span(step.section.phases)
        return _Part(
            number=step.section.number,
            shown_number=step.section.number,
            title=step.section.title,
            relevant=answers.get("relevance") != Relevance.NOT_RELEVANT,
            responsible=self.names.get(responsible, "") if responsible else "",
            lane=self.lane_of_actor.get(responsible, OTHER_LANE),
            span=span,
            phases_text=_span_text(self.phase_labels, span),
        )

    def transitions(self, step: Step, part: _Part):
        """(title, section, span, sending refs, receiving refs) of the part's relevant
        transitions with both sides named: the model's, then the group's own."""
        answers = self.content.get(step.key) or {}
        given = answers.get("transitions") or {}
        for t in step.transitions:
            ta = given.get(t.key) or {}
            if ta.get("relevance") == Relevance.NOT_RELEVANT:
                continue
            span = self.span(t.phases, t.section.phases, step.section.phases)
            yield (
                t.title,
                t.section.number,
                span,
                self.refs(ta.get("sending")),
                self.refs(ta.get("receiving")),
            )
        for own in answers.get("own_transitions") or []:
            if isinstance(own, dict):
                yield (
                    str(own.get("title") or ""),
                    part.number,
                    part.span,
                    self.refs(own.get("sending")),
                    self.refs(own.get("receiving")),
                )


class _Svg:
    def __init__(self) -> None:
        self.root = ET.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "role": "img",
                "font-family": "Source Sans 3, sans-serif",
                "font-size": _n(FONT),
                "class": "pathway-diagram",
            },
        )
        self.layers = {}

    def layer(self, name: str) -> ET.Element:
        if name not in self.layers:
            self.layers[name] = ET.SubElement(self.root, "g", {"class": name})
        return self.layers[name]

    @staticmethod
    def add(parent: ET.Element, tag: str, **attrs: Any) -> ET.Element:
        return ET.SubElement(
            parent, tag, {k.rstrip("_").replace("_", "-"): _n(v) for k, v in attrs.items()}
        )

    def text(
        self,
        parent: ET.Element,
        x: float,
        y: float,
        lines: list[str],
        *,
        size: float = FONT,
        weight: str = "normal",
        style: str = "normal",
        anchor: str = "start",
        fill: str = "#000",
    ) -> None:
        for i, line in enumerate(lines):
            node = self.add(
                parent,
                "text",
                x=x,
                y=y + i * LINE,
                font_size=size,
                font_weight=weight,
                font_style=style,
                text_anchor=anchor,
                fill=fill,
            )
            node.text = line


def _n(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def _pack(parts: list[_Part]) -> list[list[_Part]]:
    """Rows of parts whose phases do not overlap, longest spans first."""
    rows: list[list[_Part]] = []
    for part in sorted(parts, key=lambda p: (p.span[0], p.span[0] - p.span[1])):
        for row in rows:
            if all(part.span[0] > q.span[1] or part.span[1] < q.span[0] for q in row):
                row.append(part)
                break
        else:
            rows.append([part])
    return rows


def _part_lines(part: _Part, width: float, *, with_phases: bool) -> tuple[list[str], list[str]]:
    """(bold title lines, detail lines) of a part's box."""
    title = _wrap(part.heading, width)
    if not part.relevant:
        detail = _wrap(_("Ikke relevant for målgruppen"), width)
    else:
        detail = _wrap(_("Ansvarlig: %(who)s") % {"who": part.responsible or "—"}, width)
    if with_phases:
        detail = _wrap(_("Livsfase: %(phases)s") % {"phases": part.phases_text}, width) + detail
    return title, detail


def _box_height(lines: int) -> float:
    return 2 * BOX_PAD + lines * LINE - 2


def _draw_part(svg: _Svg, box: _Box, part: _Part, *, with_phases: bool, kind: str) -> None:
    group = svg.add(svg.layer("parts"), "g", class_=f"part {kind}", data_section=part.number)
    if not part.relevant:
        group.set("data-relevant", "false")
    svg.add(
        group,
        "rect",
        x=box.x,
        y=box.y,
        width=box.w,
        height=box.h,
        rx=3.0,
        fill="#fff",
        stroke="#000",
        stroke_width=1.6 if kind == "entry" else 0.9,
        # Not relevant: dashed and grey text, readable in black and white.
        **({"stroke_dasharray": "4 3"} if not part.relevant else {}),
    )
    title, detail = _part_lines(part, box.w, with_phases=with_phases)
    fill = "#000" if part.relevant else "#444"
    y = box.y + BOX_PAD + FONT - 1
    svg.text(group, box.x + BOX_PAD, y, title, weight="bold", fill=fill)
    svg.text(group, box.x + BOX_PAD, y + LINE * len(title), detail, fill=fill)


def pathway_diagram(
    document: dict[str, Any], model: ModelData, numbers: dict[str, str] | None = None
) -> PathwayDiagram | None:
    """The diagram of a program document, or None if its model defines no diagram axes.

    `numbers`: model section number → the number a document prints for the part (the PDF
    numbers its parts itself); a part without one is shown by its title alone."""
    axes = model.version.pathway_diagram or {}
    if not axes.get("phases") or not axes.get("lanes"):
        return None
    read = _Reader(document, model, axes)
    phases = read.phase_labels
    column = (WIDTH - GRID_X - 2) / len(phases)
    entries_set = set(axes.get("entry_points") or [])
    band_set = set(axes.get("band") or [])
    part_steps = [s for s in model.steps if s.is_part]
    parts = {s.section.number: read.part(s) for s in part_steps}
    if numbers is not None:
        for number, part in parts.items():
            part.shown_number = numbers.get(number, "")
    entries = [p for n, p in parts.items() if n in entries_set]
    band = [p for n, p in parts.items() if n in band_set]
    grid = [p for n, p in parts.items() if n not in entries_set | band_set]
    # The transitions to draw: relevant, with both sides named.
    found = []
    listed: list[DiagramTransition] = []
    for step in part_steps:
        part = parts[step.section.number]
        if not part.relevant:
            continue
        for title, section, span, sending, receiving in read.transitions(step, part):
            if not sending or not receiving:
                continue  # nothing to draw between lanes; the part's chapter says so
            item = DiagramTransition(
                number=len(listed) + 1,
                title=title,
                # In a document that numbers its parts itself, the part's number.
                section=part.shown_number if numbers is not None else section,
                sending=", ".join(read.names.get(r, "") for r in sending),
                receiving=", ".join(read.names.get(r, "") for r in receiving),
            )
            listed.append(item)
            found.append((item, span, sending, receiving))
    lanes = [(lane["key"], lane["label"]) for lane in axes["lanes"]]
    lane_keys = [
        read.lane_of_actor.get(r, OTHER_LANE)
        for _i, _s, snd, rcv in found
        for r in (snd[0], rcv[0])
    ]
    if OTHER_LANE in [p.lane for p in grid + entries] + lane_keys:
        lanes.append((OTHER_LANE, _("Øvrige eller ikke angivet")))

    svg = _Svg()
    # Patterns first: the band's hatching identifies it without colour.
    defs = svg.add(svg.root, "defs")
    pattern = svg.add(
        defs,
        "pattern",
        id="pd-hatch",
        width=6,
        height=6,
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    svg.add(pattern, "line", x1=0, y1=0, x2=0, y2=6, stroke="#999", stroke_width=1.2)
    for name, refx, shape in (
        ("pd-arrow", 9, "M0,0 L10,5 L0,10 z"),
        ("pd-entry", 8, "M0,0 L10,5 L0,10"),
    ):
        marker = svg.add(
            defs,
            "marker",
            id=name,
            viewBox="0 0 10 10",
            refX=refx,
            refY=5,
            markerWidth=6,
            markerHeight=6,
            orient="auto-start-reverse",
        )
        attrs = {"fill": "#000"} if name == "pd-arrow" else {"fill": "none", "stroke": "#000"}
        svg.add(marker, "path", d=shape, **attrs)
    title_el = svg.add(svg.root, "title", id="pd-title")
    desc_el = svg.add(svg.root, "desc", id="pd-desc")

    # Header: the phases.
    header_lines = [_wrap(label, column, FONT) for label in phases]
    header_h = BOX_PAD * 2 + LINE * max(len(lines) for lines in header_lines)
    top = 2.0
    head = svg.layer("phases")
    svg.text(head, 2, top + FONT + 2, _wrap(_("Sektor"), LABEL_W), weight="bold")
    svg.text(head, LABEL_W + 4, top + FONT + 2, _wrap(_("Indgange"), ENTRY_W), weight="bold")
    for i, lines in enumerate(header_lines):
        x = GRID_X + i * column
        svg.add(
            head,
            "rect",
            x=x,
            y=top,
            width=column,
            height=header_h,
            fill="#fff",
            stroke="#000",
            stroke_width=0.6,
        )
        svg.text(head, x + column / 2, top + FONT + 2, lines, weight="bold", anchor="middle")
    y = top + header_h

    # Lanes: the grid's parts packed into rows per lane.
    lane_rows: dict[str, list[list[_Part]]] = {
        key: _pack([p for p in grid if p.lane == key]) for key, _label in lanes
    }
    lane_box: dict[str, tuple[float, float]] = {}
    lane_heights = {}
    for key, label in lanes:
        height = 2 * STRIP
        for row in lane_rows[key]:
            height += (
                max(
                    _box_height(
                        sum(map(len, _part_lines(p, _span_w(p, column), with_phases=False)))
                    )
                    for p in row
                )
                + GAP
            )
        label_h = LINE * len(_wrap(label, LABEL_W)) + 2 * STRIP
        lane_heights[key] = max(height, label_h, 44.0)
    # The entry points stand beside the lanes; lanes grow to make room for them.
    entry_sizes = [
        _box_height(sum(map(len, _part_lines(p, ENTRY_W, with_phases=True)))) for p in entries
    ]
    entries_h = sum(entry_sizes) + GAP * (len(entries) + 1)
    spare = entries_h - sum(lane_heights.values())
    if spare > 0:
        for key in lane_heights:
            lane_heights[key] += spare / len(lane_heights)

    lanes_layer = svg.layer("lanes")
    grid_top = y
    for n, (key, label) in enumerate(lanes):
        h = lane_heights[key]
        lane_box[key] = (y, y + h)
        group = svg.add(lanes_layer, "g", class_="lane", data_lane=key)
        svg.add(
            group,
            "rect",
            x=0.5,
            y=y,
            width=WIDTH - 1,
            height=h,
            fill="#f0f0f0" if n % 2 else "#fff",
            stroke="#000",
            stroke_width=0.8,
        )
        svg.text(group, 4, y + STRIP + FONT - 4, _wrap(label, LABEL_W), weight="bold")
        row_y = y + STRIP
        for row in lane_rows[key]:
            row_h = 0.0
            for part in row:
                w = _span_w(part, column)
                lines = sum(map(len, _part_lines(part, w, with_phases=False)))
                box = _Box(GRID_X + part.span[0] * column + 2, row_y, w, _box_height(lines))
                _draw_part(svg, box, part, with_phases=False, kind="grid")
                row_h = max(row_h, box.h)
            row_y += row_h + GAP
        y += h
    grid_bottom = y
    for i in range(len(phases) + 1):  # phase boundaries through the lanes
        x = GRID_X + i * column
        svg.add(
            lanes_layer,
            "line",
            x1=x,
            y1=grid_top,
            x2=x,
            y2=grid_bottom,
            stroke="#000",
            stroke_width=0.5,
            stroke_dasharray="1 2",
        )

    # Entry points: side by side at the left, each with an open arrow into its lane.
    entry_y = grid_top + GAP
    per_lane: dict[str, int] = {}
    for part, h in zip(entries, entry_sizes, strict=True):
        box = _Box(LABEL_W + 4, entry_y, ENTRY_W, h)
        _draw_part(svg, box, part, with_phases=True, kind="entry")
        lane_top, lane_bottom = lane_box[part.lane]
        k = per_lane.get(part.lane, 0)
        per_lane[part.lane] = k + 1
        target_y = min(lane_top + STRIP + 6 + k * 8, lane_bottom - STRIP)
        svg.add(
            svg.layer("entries"),
            "path",
            d=f"M{_n(box.x + box.w)},{_n(box.y + box.h / 2)} L{_n(GRID_X - 1)},{_n(target_y)}",
            fill="none",
            stroke="#000",
            stroke_width=1.6,
            marker_end="url(#pd-entry)",
        )
        entry_y += h + GAP

    # The band of cross-cutting themes, across every phase.
    band_top = grid_bottom + 6
    per_row = 3
    band_x = LABEL_W + 4
    chip_w = (WIDTH - band_x - 2 - GAP * (per_row - 1)) / per_row
    chip_lines = [sum(map(len, _part_lines(p, chip_w, with_phases=False))) for p in band]
    rows_h = []
    for r in range(0, len(band), per_row):
        rows_h.append(max(_box_height(n) for n in chip_lines[r : r + per_row]))
    band_label = _wrap(_("Tværgående temaer – i alle livsfaser"), LABEL_W)
    band_h = max(sum(rows_h) + GAP * (len(rows_h) + 1), LINE * len(band_label) + 8)
    if band:
        band_group = svg.add(svg.layer("band"), "g", class_="band")
        svg.add(
            band_group,
            "rect",
            x=0.5,
            y=band_top,
            width=WIDTH - 1,
            height=band_h,
            fill="url(#pd-hatch)",
            stroke="#000",
            stroke_width=0.8,
        )
        svg.add(
            band_group, "rect", x=1, y=band_top + 1, width=LABEL_W, height=band_h - 2, fill="#fff"
        )
        svg.text(band_group, 4, band_top + FONT + 3, band_label, weight="bold")
        chip_y = band_top + GAP
        for r, row_h in enumerate(rows_h):
            for c, part in enumerate(band[r * per_row : (r + 1) * per_row]):
                box = _Box(band_x + c * (chip_w + GAP), chip_y, chip_w, row_h)
                _draw_part(svg, box, part, with_phases=False, kind="band")
            chip_y += row_h + GAP
    bottom = band_top + (band_h if band else 0) + 2

    # Transitions: numbered arrows from the sender's lane to the receiver's, at the phases
    # where they happen; an arrow moves aside (never out of the grid) rather than cover another.
    jobs = []
    arrows = svg.layer("transitions")
    for item, span, sending, receiving in found:
        src = lane_box[read.lane_of_actor.get(sending[0], OTHER_LANE)]
        dst = lane_box[read.lane_of_actor.get(receiving[0], OTHER_LANE)]
        if src == dst:  # within a lane: a short arrow along its lower edge
            y1 = y2 = src[1] - STRIP / 2
        elif src[0] < dst[0]:
            y1, y2 = src[1] - STRIP + 2, dst[0] + STRIP - 2
        else:
            y1, y2 = src[0] + STRIP - 2, dst[1] - STRIP + 2
        top, low = min(y1, y2), max(y1, y2)
        wanted = GRID_X + column * (span[0] + span[1] + 1) / 2
        jobs.append((span[1] - span[0], item, src == dst, wanted, y1, y2, top, low))
    # Arrows of one phase first, then the wider ones around them: an arrow moves aside
    # (by its own width, within the grid) rather than cover another.
    lines: list[tuple[float, float, float]] = []  # x, top, bottom
    badges: list[tuple[float, float]] = []
    for _width, item, same_lane, wanted, y1, y2, top, low in sorted(jobs, key=lambda j: j[0]):
        reach = 13.0 if same_lane else 8.0
        x = wanted
        for shift in range(40):
            step = (shift + 1) // 2 * (1 if shift % 2 else -1)
            x = min(max(wanted + step * 8, GRID_X + 14), WIDTH - 14)
            if not any(
                abs(x - lx) < reach and top - 2 < lb and low + 2 > lt for lx, lt, lb in lines
            ):
                break
        lines.append((x - 11, top, low) if same_lane else (x, top, low))
        if same_lane:
            lines.append((x + 11, top, low))
        x1, x2 = (x - 11, x + 11) if same_lane else (x, x)
        # The number sits on its arrow where no other number is.
        cx = (x1 + x2) / 2 - (3 if same_lane else 0)
        middle = (y1 + y2) / 2
        cy = middle
        for offset in (0,) if same_lane else (0, -14, 14, -28, 28, -42, 42):
            cy = middle + offset
            if (same_lane or top + 4 <= cy <= low - 4) and not any(
                abs(cx - bx) < 14 and abs(cy - by) < 14 for bx, by in badges
            ):
                break
        else:
            cy = middle  # a short arrow keeps its number on it, even over another's
        badges.append((cx, cy))
        group = svg.add(arrows, "g", class_="transition", data_number=item.number)
        ET.SubElement(group, "title").text = f"{item.number}. {item.title}: {item.label}"
        svg.add(
            group,
            "line",
            x1=x1,
            y1=y1,
            x2=x2,
            y2=y2,
            stroke="#000",
            stroke_width=1.2,
            marker_end="url(#pd-arrow)",
        )
        svg.add(group, "circle", cx=cx, cy=cy, r=6.5, fill="#fff", stroke="#000", stroke_width=0.8)
        svg.text(group, cx, cy + 3.2, [str(item.number)], weight="bold", anchor="middle")
    # In number order, so a reader (and the markup) meets them as the list does.
    arrows[:] = sorted(arrows, key=lambda g: int(g.get("data-number")))

    svg.root.set("viewBox", f"0 0 {WIDTH} {_n(bottom)}")
    svg.root.set("width", _n(float(WIDTH)))
    svg.root.set("height", _n(bottom))
    svg.root.set("aria-labelledby", "pd-title")
    svg.root.set("aria-describedby", "pd-desc")
    alt = _alt_text(axes, lanes, entries, grid, band, listed)
    title_el.text = alt
    desc_el.text = _(
        "Tykke pile med åben spids: indgange til forløbet. Nummererede pile: overgange fra "
        "afsenderens til modtagerens sektor, forklaret under diagrammet. Stiplet ramme: "
        "vurderet ikke relevant. Skraveret bånd: tværgående temaer."
    )
    # Layers in drawing order: lanes under parts, arrows on top.
    for name in ("lanes", "phases", "band", "parts", "entries", "transitions"):
        if name in svg.layers:
            svg.root.remove(svg.layers[name])
            svg.root.append(svg.layers[name])
    markup = ET.tostring(svg.root, encoding="unicode", short_empty_elements=True)
    return PathwayDiagram(svg=mark_safe(markup), alt=alt, transitions=listed)  # noqa: S308 - ElementTree escapes


def _span_w(part: _Part, column: float) -> float:
    return (part.span[1] - part.span[0] + 1) * column - 4


def _alt_text(axes, lanes, entries, grid, band, transitions) -> str:
    """A summary a reader without the picture can follow: axes, then where each part is."""
    labels = [p["label"] for p in axes["phases"]]

    def names(parts: list[_Part], *, phases: bool) -> str:
        found = []
        for p in parts:
            text = p.heading
            if phases:
                text += f" ({p.phases_text})"
            if not p.relevant:
                text += " – " + _("ikke relevant")
            found.append(text)
        return "; ".join(found)

    sentences = [
        _("Forløbsdiagram. Livsfaser vandret: %(phases)s. Sektorer som baner: %(lanes)s.")
        % {"phases": ", ".join(labels), "lanes": ", ".join(label for _k, label in lanes)}
    ]
    if entries:
        sentences.append(
            _("Indgange til forløbet: %(parts)s.") % {"parts": names(entries, phases=True)}
        )
    for key, label in lanes:
        in_lane = [p for p in grid if p.lane == key]
        if in_lane:
            sentences.append(f"{label}: {names(in_lane, phases=True)}.")
    if band:
        sentences.append(
            _("Tværgående temaer i alle livsfaser: %(parts)s.")
            % {"parts": names(band, phases=False)}
        )
    if transitions:
        sentences.append(
            ngettext(
                "%(n)d overgang vist som en nummereret pil mellem sektorerne, "
                "forklaret under diagrammet.",
                "%(n)d overgange vist som nummererede pile mellem sektorerne, "
                "forklaret under diagrammet.",
                len(transitions),
            )
            % {"n": len(transitions)}
        )
    return " ".join(sentences)

"""A handout as Markdown: headings, a list item per entry with its citation under it,
and tables as pipe tables (entries in a cell separated by line breaks)."""

from __future__ import annotations

from .handout import Entry, Handout, Heading, Items, Note, PageBreak, Table, shown


def markdown(handout: Handout) -> str:
    lines = [f"# {handout.title}", "", f"*{handout.subtitle}*", ""]
    for block in handout.blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * (block.level + 1)} {block.text}", ""]
            if block.quote:
                lines += [f"*Nguồn: {handout.citation((block.quote,))}*", ""]
        elif isinstance(block, Note):
            lines += [block.text, ""]
        elif isinstance(block, Items):
            for entry in block.entries:
                lines += _entry(handout, entry, 0)
            lines.append("")
        elif isinstance(block, Table):
            lines += _table(handout, block) + [""]
        elif isinstance(block, PageBreak):
            lines += ["---", ""]
    return "\n".join(lines).rstrip() + "\n"


def _entry(handout: Handout, entry: Entry, depth: int) -> list[str]:
    indent = "  " * depth
    label = f"**{entry.label}** " if entry.label else ""
    lines = [f"{indent}- {label}{shown(entry)}"]
    if entry.quotes:
        lines.append(f"{indent}  *Nguồn: {handout.citation(entry.quotes)}*")
    for detail in entry.details:
        lines += _entry(handout, detail, depth + 1)
    return lines


def _table(handout: Handout, table: Table) -> list[str]:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(handout, cell, table.short_citations) for cell in row) + " |")
    return lines


def _cell(handout: Handout, entries, short: bool) -> str:
    parts = []
    for entry in entries:
        label = f"**{entry.label}:** " if entry.label else ""
        cite = f" *({handout.citation(entry.quotes, short)})*" if entry.quotes else ""
        details = "".join(f"<br>{d.label}: {shown(d)}" for d in entry.details)
        parts.append(f"{label}{shown(entry)}{cite}{details}")
    return "<br>".join(parts).replace("|", "\\|").replace("\n", " ")

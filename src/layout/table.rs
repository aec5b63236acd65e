//! Bordered tables: column widths scaled to the text width, wrapped cells, row and column spans,
//! header rows repeated on every page, group rows kept with what follows, rows kept whole when
//! they fit and split between lines when taller than a page. A vertical merge may continue on
//! the next page (its borders are drawn around each part, its text once, in the first part).

use super::text::LineBox;
use super::{EPS, Flow, Item, LayoutError, Point, RULE, Rect};
use crate::doc::grid::Slot;
use crate::doc::{Align, CELL_PAD_X as PAD_X, Row, Table};
use crate::fonts::FontStyle;

/// Vertical padding: enough for descenders to clear the border below.
const PAD_Y: f32 = 3.0;

/// A cell placed in the grid, its content already set in lines.
#[derive(Debug, Clone)]
struct CellBox {
    row: usize,
    rows: usize,
    col: usize,
    cols: usize,
    lines: Vec<LineBox>,
    centre_v: bool,
}

impl CellBox {
    fn content_h(&self) -> f32 {
        self.lines.iter().map(|l| l.height).sum::<f32>() + 2.0 * PAD_Y
    }
}

/// Header or body: the grid of one part of the table.
struct Grid {
    heights: Vec<f32>,
    group: Vec<bool>,
    cells: Vec<CellBox>,
    /// Cell indices by starting row, and the tallest span: what [`Grid::touching`] searches
    /// (made by [`Grid::index`] once the rows are final).
    by_row: Vec<usize>,
    max_span: usize,
}

impl Grid {
    fn index(&mut self) {
        let mut by_row: Vec<usize> = (0..self.cells.len()).collect();
        by_row.sort_by_key(|&i| self.cells[i].row);
        self.max_span = self.cells.iter().map(|c| c.rows).max().unwrap_or(1).max(1);
        self.by_row = by_row;
    }

    /// The cells that cover a row of `first..=last`, in the order they were made (a page
    /// draws its own rows, not every cell of the table).
    fn touching(&self, first: usize, last: usize) -> impl Iterator<Item = &CellBox> {
        let lo = first.saturating_sub(self.max_span - 1);
        let a = self.by_row.partition_point(|&i| self.cells[i].row < lo);
        let b = self.by_row.partition_point(|&i| self.cells[i].row <= last);
        let mut hit: Vec<usize> = self.by_row[a..b]
            .iter()
            .copied()
            .filter(|&i| self.cells[i].row + self.cells[i].rows > first)
            .collect();
        hit.sort_unstable();
        hit.into_iter().map(|i| &self.cells[i])
    }
}

pub(super) fn table(flow: &mut Flow<'_>, t: &Table) -> Result<(), LayoutError> {
    let ncols = t.columns.len();
    if ncols == 0 {
        return Err(LayoutError::Table("bảng không có cột".into()));
    }
    let total: f32 = t.columns.iter().map(|c| c.width).sum();
    if !(total.is_finite() && total > 0.0)
        || t.columns
            .iter()
            .any(|c| !c.width.is_finite() || c.width < 0.0)
    {
        return Err(LayoutError::Table("độ rộng cột không hợp lệ".into()));
    }
    let tw = flow.text_width();
    let mut xs = vec![flow.left];
    for c in &t.columns {
        let last = xs[xs.len() - 1];
        xs.push(last + c.width / total * tw);
    }

    let mut header = grid(flow, &t.header, &xs, true)?;
    header.index();
    let mut body = grid(flow, &t.rows, &xs, false)?;
    let head_h: f32 = header.heights.iter().sum();
    let room = flow.bottom - flow.top - head_h;
    if room < 3.0 * flow.style.table_size {
        return Err(LayoutError::TooTall("Hàng tiêu đề của bảng".into()));
    }
    split_tall_rows(&mut body, room)?;
    body.index();

    // Units: rows bound together by vertical merges, and group rows with the unit after them.
    let n = body.heights.len();
    // The cells starting on each row, in their order: looking them up by scanning every cell
    // for every row made a 20 000-row table quadratic.
    let mut starting: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, c) in body.cells.iter().enumerate() {
        if let Some(list) = starting.get_mut(c.row) {
            list.push(i);
        }
    }
    let mut units: Vec<(usize, usize)> = Vec::new();
    let mut r = 0;
    while r < n {
        let mut end = r + 1;
        let mut k = r;
        while k < end {
            // A merged cell may continue on the next page, but its first part must hold its
            // text: bind only as many of its rows as that takes.
            for c in starting[k].iter().map(|&i| &body.cells[i]) {
                let need = c.content_h();
                let mut acc = 0.0;
                let mut m = 0;
                while m < c.rows && acc + EPS < need {
                    acc += body.heights[c.row + m];
                    m += 1;
                }
                end = end.max(c.row + m.max(1));
            }
            k += 1;
            if k == end && body.group[end - 1] && end < n {
                end += 1;
            }
        }
        units.push((r, end.min(n)));
        r = end.min(n);
    }

    let sum = |a: usize, b: usize| body.heights[a..b].iter().sum::<f32>();
    let first_need = units.first().map_or(0.0, |&(a, b)| sum(a, b).min(room));
    if head_h + first_need > flow.remaining() + EPS && !flow.fresh() {
        flow.new_page();
    }
    let mut placed: Vec<(usize, f32)> = Vec::new();
    let mut head_y = flow.y;
    flow.y += head_h;
    let page_break = |flow: &mut Flow<'_>, placed: &mut Vec<(usize, f32)>, head_y: &mut f32| {
        draw(flow, &header, *head_y, &header_rows(&header, *head_y), &xs);
        draw(flow, &body, 0.0, placed, &xs);
        placed.clear();
        flow.new_page();
        *head_y = flow.y;
        flow.y += head_h;
    };
    for &(a, b) in &units {
        let h = sum(a, b);
        if flow.y + h > flow.bottom + EPS && h <= room + EPS && !placed.is_empty() {
            page_break(flow, &mut placed, &mut head_y);
        }
        for row in a..b {
            let rh = body.heights[row];
            if flow.y + rh > flow.bottom + EPS && !placed.is_empty() {
                page_break(flow, &mut placed, &mut head_y);
            }
            placed.push((row, flow.y));
            flow.y += rh;
        }
    }
    draw(flow, &header, head_y, &header_rows(&header, head_y), &xs);
    draw(flow, &body, 0.0, &placed, &xs);
    flow.y += flow.style.paragraph_spacing;
    Ok(())
}

fn header_rows(g: &Grid, top: f32) -> Vec<(usize, f32)> {
    let mut y = top;
    g.heights
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let r = (i, y);
            y += h;
            r
        })
        .collect()
}

/// Draw the cells of `g` that touch the rows placed on this page: borders around the part of
/// each cell on the page, text where the cell starts.
fn draw(flow: &mut Flow<'_>, g: &Grid, _top: f32, placed: &[(usize, f32)], xs: &[f32]) {
    let Some(&(first, _)) = placed.first() else {
        return;
    };
    let last = placed[placed.len() - 1].0;
    for c in g.touching(first, last) {
        let (a, b) = (c.row.max(first), (c.row + c.rows - 1).min(last));
        if a > b {
            continue;
        }
        let y0 = placed[a - first].1;
        let y1 = placed[b - first].1 + g.heights[b];
        let x0 = xs[c.col];
        let x1 = xs[c.col + c.cols];
        flow.push(
            Point { x: x0, y: y0 },
            Item::Rect(Rect {
                width: x1 - x0,
                height: y1 - y0,
                stroke: RULE,
            }),
        );
        if c.row == a {
            let content: f32 = c.lines.iter().map(|l| l.height).sum();
            let mut y = if c.centre_v {
                y0 + ((y1 - y0) - content).max(0.0) / 2.0
            } else {
                y0 + PAD_Y
            };
            for l in &c.lines {
                flow.draw_line_at(x0 + PAD_X, y, l);
                y += l.height;
            }
        }
    }
}

/// Place the cells of some rows in the grid (HTML-like spans) and set their text.
fn grid(flow: &Flow<'_>, rows: &[Row], xs: &[f32], header: bool) -> Result<Grid, LayoutError> {
    let ncols = xs.len() - 1;
    let n = rows.len();
    let size = flow.style.table_size;
    let placed = crate::doc::grid::place(rows, ncols)
        .map_err(|e| LayoutError::Table(format!("hàng {}: {}", e.row, e.message)))?;
    let mut cells = Vec::new();
    for (r, slots) in placed.iter().enumerate() {
        let row = &rows[r];
        for slot in slots {
            match *slot {
                Slot::Own {
                    cell,
                    col,
                    cols,
                    rows: span,
                } => {
                    let bold = header || cell.bold || row.group;
                    let width = (xs[col + cols] - xs[col] - 2.0 * PAD_X).max(1.0);
                    let mut lines = Vec::new();
                    for p in &cell.paragraphs {
                        let psize = super::check_size(p.size.unwrap_or(size))?;
                        let styled: Vec<(FontStyle, &str)> = p
                            .runs
                            .iter()
                            .map(|r| (FontStyle::new(r.bold || bold, r.italic), r.text.as_str()))
                            .collect();
                        let align = if header { Align::Center } else { p.align };
                        lines.extend(flow.lines(&styled, psize, align, 0.0, width)?);
                    }
                    cells.push(CellBox {
                        row: r,
                        rows: span,
                        col,
                        cols,
                        lines,
                        centre_v: header || span > 1,
                    });
                }
                // Positions no cell covers still get a bordered empty cell, so the grid stays
                // closed.
                Slot::Empty { col } => cells.push(CellBox {
                    row: r,
                    rows: 1,
                    col,
                    cols: 1,
                    lines: Vec::new(),
                    centre_v: false,
                }),
                Slot::Continue { .. } => {}
            }
        }
    }
    let min_h = size * flow.style.line_height + 2.0 * PAD_Y;
    let mut heights = vec![min_h; n];
    for c in cells.iter().filter(|c| c.rows == 1) {
        heights[c.row] = heights[c.row].max(c.content_h());
    }
    for c in cells.iter().filter(|c| c.rows > 1) {
        let have: f32 = heights[c.row..c.row + c.rows].iter().sum();
        let need = c.content_h();
        if need > have {
            heights[c.row + c.rows - 1] += need - have;
        }
    }
    Ok(Grid {
        heights,
        group: rows.iter().map(|r| r.group).collect(),
        cells,
        by_row: Vec::new(),
        max_span: 1,
    })
}

/// Rows taller than `room` become several rows, each holding the lines that fit; each part then
/// fills a page of its own.
fn split_tall_rows(g: &mut Grid, room: f32) -> Result<(), LayoutError> {
    let mut r = 0;
    while r < g.heights.len() {
        if g.heights[r] <= room + EPS {
            r += 1;
            continue;
        }
        if g.cells
            .iter()
            .any(|c| c.rows > 1 && c.row <= r && r < c.row + c.rows)
        {
            return Err(LayoutError::TooTall(format!(
                "Hàng {} của bảng (có ô gộp)",
                r + 1
            )));
        }
        // Shift later rows down by one to make room for the continuation.
        for c in g.cells.iter_mut().filter(|c| c.row > r) {
            c.row += 1;
        }
        let mut rest_cells = Vec::new();
        let mut rest_h = 0.0f32;
        let mut first_h = 0.0f32;
        for c in g.cells.iter_mut().filter(|c| c.row == r) {
            let mut h = 2.0 * PAD_Y;
            let mut k = 0;
            while k < c.lines.len() && h + c.lines[k].height <= room + EPS {
                h += c.lines[k].height;
                k += 1;
            }
            // Guarantee progress with at least one line in the first part.
            let k = k.max(1).min(c.lines.len());
            let rest = c.lines.split_off(k);
            first_h = first_h.max(c.content_h());
            let mut cont = c.clone();
            cont.row = r + 1;
            cont.lines = rest;
            rest_h = rest_h.max(cont.content_h());
            rest_cells.push(cont);
        }
        g.cells.extend(rest_cells);
        // The first part fills a page of its own, so that the continuation starts the next.
        g.heights[r] = first_h.max(room);
        g.heights.insert(r + 1, rest_h);
        let grp = g.group[r];
        g.group.insert(r + 1, grp);
        r += 1;
    }
    Ok(())
}

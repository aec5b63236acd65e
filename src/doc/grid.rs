//! How a table's cells sit on its grid: one rule for both writers, so a table is valid for the
//! PDF exactly when it is valid for the DOCX. Header and body are placed apart (a span never
//! crosses from one into the other); a row with fewer cells than columns is filled with empty
//! cells, as Markdown tables are; a row with more, a cell wider than the table, or a cell on a
//! position a span from above already covers is an error at its row.

use super::{Cell, Row};

/// What covers one stretch of a row.
#[derive(Debug, Clone, Copy)]
pub enum Slot<'a> {
    /// A cell of the model, starting here: `rows` and `cols` are its spans (the row span cut
    /// at the end of the part).
    Own {
        cell: &'a Cell,
        col: usize,
        cols: usize,
        rows: usize,
    },
    /// The continuation of a cell from a row above, `cols` wide.
    Continue { col: usize, cols: usize },
    /// A position no cell covers: drawn as an empty cell.
    Empty { col: usize },
}

/// Why a table cannot be placed: the row (1-based within its part) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridError {
    pub row: usize,
    pub message: String,
}

/// Every row of one part of a table as the slots that cover its `columns`, left to right.
pub fn place(rows: &[Row], columns: usize) -> Result<Vec<Vec<Slot<'_>>>, GridError> {
    let n = rows.len();
    // For each column where a row span starts: rows still to cover, and its width.
    let mut pending: Vec<Option<(usize, usize)>> = vec![None; columns];
    let mut out = Vec::with_capacity(n);
    for (r, row) in rows.iter().enumerate() {
        let err = |message: String| GridError {
            row: r + 1,
            message,
        };
        let mut slots = Vec::new();
        let mut cells = row.cells.iter();
        let mut col = 0;
        while col < columns {
            if let Some((left, cols)) = pending[col] {
                pending[col] = (left > 1).then_some((left - 1, cols));
                slots.push(Slot::Continue { col, cols });
                col += cols;
                continue;
            }
            let Some(cell) = cells.next() else {
                slots.push(Slot::Empty { col });
                col += 1;
                continue;
            };
            let cols = usize::from(cell.col_span.max(1));
            if col + cols > columns {
                return Err(err(format!(
                    "ô «{}» vượt quá {columns} cột",
                    cell.text_content()
                )));
            }
            if (col + 1..col + cols).any(|c| pending[c].is_some()) {
                return Err(err(format!(
                    "ô «{}» chồng lên ô gộp từ hàng trên",
                    cell.text_content()
                )));
            }
            let rows = usize::from(cell.row_span.max(1)).min(n - r);
            if rows > 1 {
                pending[col] = Some((rows - 1, cols));
            }
            slots.push(Slot::Own {
                cell,
                col,
                cols,
                rows,
            });
            col += cols;
        }
        if let Some(extra) = cells.next() {
            return Err(err(format!(
                "thừa ô «{}» so với {columns} cột",
                extra.text_content()
            )));
        }
        out.push(slots);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Align;

    fn cell(text: &str, cols: u16, rows: u16) -> Cell {
        Cell {
            col_span: cols,
            row_span: rows,
            ..Cell::text(text, Align::Left)
        }
    }

    fn row(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            group: false,
        }
    }

    #[test]
    fn spans_short_rows_and_errors() {
        let rows = vec![
            row(vec![cell("a", 1, 2), cell("b", 2, 1)]),
            row(vec![cell("c", 1, 1)]),
        ];
        let g = place(&rows, 3).unwrap();
        assert!(matches!(
            g[0][0],
            Slot::Own {
                rows: 2,
                cols: 1,
                ..
            }
        ));
        assert!(matches!(g[1][0], Slot::Continue { col: 0, cols: 1 }));
        assert!(matches!(g[1][1], Slot::Own { col: 1, .. }));
        // The short second row is filled.
        assert!(matches!(g[1][2], Slot::Empty { col: 2 }));
        // A span past the end of the part is cut there.
        let g = place(&rows[..1], 3).unwrap();
        assert!(matches!(g[0][0], Slot::Own { rows: 1, .. }));

        let wide = vec![row(vec![cell("x", 4, 1)])];
        assert_eq!(place(&wide, 3).unwrap_err().message, "ô «x» vượt quá 3 cột");
        let extra = vec![row(vec![cell("x", 1, 1), cell("y", 1, 1)])];
        assert_eq!(
            place(&extra, 1).unwrap_err().message,
            "thừa ô «y» so với 1 cột"
        );
        let overlap = vec![
            row(vec![cell("a", 1, 1), cell("b", 1, 2)]),
            row(vec![cell("c", 2, 1)]),
        ];
        let e = place(&overlap, 2).unwrap_err();
        assert_eq!(
            (e.row, e.message.as_str()),
            (2, "ô «c» chồng lên ô gộp từ hàng trên")
        );
    }
}

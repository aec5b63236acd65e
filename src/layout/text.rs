//! Shaping and line breaking: styled runs in, positioned lines of glyph runs out.
//!
//! Words are shaped one break-opportunity segment at a time (so the width of a candidate line is
//! a sum, not a re-shape); for Vietnamese in NFC nothing crosses a segment boundary that would
//! make this differ from shaping the whole line. Breaks come from unicode-linebreak (UAX #14),
//! widths from rustybuzz with the same faces krilla embeds, so what we measure is what is drawn.

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::{Glyph, LayoutError, TextRun};
use crate::doc::Align;
use crate::fonts::{FontStyle, Fonts};

/// Tolerance for floating-point width comparisons, in points.
const EPS: f32 = 0.01;

/// Shaped glyphs in font units, by face and text: one map per face, so that a lookup borrows
/// the text instead of building a key.
type ShapeCache = [std::collections::HashMap<String, std::rc::Rc<Vec<Glyph>>>; 4];

/// The four faces, parsed once per layout, and what has been shaped with them.
pub(crate) struct Shaper<'a> {
    faces: [rustybuzz::Face<'a>; 4],
    /// Ascender and descender (positive, below the baseline) of the regular face, per em.
    ascent: f32,
    descent: f32,
    /// Shaped text in font units, by face and text: reports repeat the same words and cell
    /// texts many times, and each is measured again when its line is set.
    cache: std::cell::RefCell<ShapeCache>,
    /// Shape plans by face, script and language: building one costs more than shaping a word
    /// (about a third of all layout instructions when each call built its own).
    plans: std::cell::RefCell<Vec<PlanKey>>,
}

type PlanKey = (
    usize,
    rustybuzz::Script,
    Option<rustybuzz::Language>,
    std::rc::Rc<rustybuzz::ShapePlan>,
);

fn face_index(style: FontStyle) -> usize {
    match style {
        FontStyle::Regular => 0,
        FontStyle::Bold => 1,
        FontStyle::Italic => 2,
        FontStyle::BoldItalic => 3,
    }
}

impl<'a> Shaper<'a> {
    pub(crate) fn new(fonts: &'a Fonts) -> Result<Shaper<'a>, LayoutError> {
        let face = |s: FontStyle| {
            rustybuzz::Face::from_slice(fonts.bytes(s), 0).ok_or(LayoutError::Font(s))
        };
        let faces = [
            face(FontStyle::Regular)?,
            face(FontStyle::Bold)?,
            face(FontStyle::Italic)?,
            face(FontStyle::BoldItalic)?,
        ];
        let upem = faces[0].units_per_em().max(1) as f32;
        let ascent = f32::from(faces[0].ascender()) / upem;
        let descent = -f32::from(faces[0].descender()) / upem;
        Ok(Shaper {
            faces,
            ascent,
            descent,
            cache: Default::default(),
            plans: Default::default(),
        })
    }

    /// Distance from the top of a line box to its baseline, with the glyphs' extent centred in
    /// the box (what Word does with "multiple" line spacing, near enough).
    pub(crate) fn baseline(&self, size: f32, line_height: f32) -> f32 {
        let box_h = size * line_height;
        (box_h - (self.ascent + self.descent) * size) / 2.0 + self.ascent * size
    }

    pub(crate) fn ascent(&self, size: f32) -> f32 {
        self.ascent * size
    }

    /// Shape `text` in one face; advances and offsets in points, clusters as byte ranges of
    /// `text`.
    pub(crate) fn shape(
        &self,
        style: FontStyle,
        size: f32,
        text: &str,
    ) -> Result<Vec<Glyph>, LayoutError> {
        let face = &self.faces[face_index(style)];
        let scale = size / face.units_per_em().max(1) as f32;
        let f = face_index(style);
        let cached = self.cache.borrow()[f].get(text).cloned();
        let units = match cached {
            Some(g) => g,
            None => {
                let g = std::rc::Rc::new(self.shape_units(style, text)?);
                self.cache.borrow_mut()[f].insert(text.to_string(), g.clone());
                g
            }
        };
        Ok(units
            .iter()
            .map(|g| Glyph {
                id: g.id,
                x_advance: g.x_advance * scale,
                x_offset: g.x_offset * scale,
                y_offset: g.y_offset * scale,
                text_range: g.text_range.clone(),
            })
            .collect())
    }

    /// Shapes `text` with rustybuzz; positions in font units.
    fn shape_units(&self, style: FontStyle, text: &str) -> Result<Vec<Glyph>, LayoutError> {
        let face = &self.faces[face_index(style)];
        let scale = 1.0;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let plan = self.plan(style, &buffer);
        let out = rustybuzz::shape_with_plan(face, &plan, buffer);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = infos[i + 1..]
                .iter()
                .find(|n| n.cluster != info.cluster)
                .map_or(text.len(), |n| n.cluster as usize);
            let id = u16::try_from(info.glyph_id).unwrap_or(0);
            if id == 0 {
                return Err(LayoutError::NotDef {
                    style,
                    text: text.to_string(),
                });
            }
            glyphs.push(Glyph {
                id,
                x_advance: pos.x_advance as f32 * scale,
                x_offset: pos.x_offset as f32 * scale,
                y_offset: pos.y_offset as f32 * scale,
                text_range: start..end,
            });
        }
        Ok(glyphs)
    }

    /// The plan `rustybuzz::shape` would build for `buffer` (after its segment properties are
    /// guessed), built once per face and properties.
    fn plan(
        &self,
        style: FontStyle,
        buffer: &rustybuzz::UnicodeBuffer,
    ) -> std::rc::Rc<rustybuzz::ShapePlan> {
        let script = buffer.script();
        let face = face_index(style);
        let language = buffer.language();
        let mut plans = self.plans.borrow_mut();
        if let Some((.., plan)) = plans
            .iter()
            .find(|(f, s, l, _)| *f == face && *s == script && *l == language)
        {
            return plan.clone();
        }
        // Guessing leaves the script unset when no character has one (digits, punctuation);
        // `script()` reports that as UNKNOWN, and `shape` would plan it as unset.
        let guessed = (script != rustybuzz::script::UNKNOWN).then_some(script);
        let plan = std::rc::Rc::new(rustybuzz::ShapePlan::new(
            &self.faces[face],
            buffer.direction(),
            guessed,
            language.as_ref(),
            &[],
        ));
        plans.push((face, script, language, plan.clone()));
        plan
    }

    /// One run on one line, unbroken.
    pub(crate) fn run(
        &self,
        style: FontStyle,
        size: f32,
        text: &str,
    ) -> Result<TextRun, LayoutError> {
        let glyphs = self.shape(style, size, text)?;
        let width = glyphs.iter().map(|g| g.x_advance).sum();
        Ok(TextRun {
            font: style,
            size,
            text: text.to_string(),
            glyphs,
            width,
        })
    }
}

/// One laid-out line: runs with x offsets from the paragraph's left edge.
#[derive(Debug, Clone)]
pub(crate) struct LineBox {
    pub runs: Vec<(f32, TextRun)>,
    /// Height of the line box (size x line height).
    pub height: f32,
    /// Top of the box to the baseline.
    pub baseline: f32,
    /// Width of the ink from the first run's start to the last run's end.
    pub width: f32,
}

/// How to set a paragraph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ParaStyle {
    pub size: f32,
    pub line_height: f32,
    pub align: Align,
    pub first_indent: f32,
    pub width: f32,
}

/// A shaped piece of a segment, in one face.
struct Piece {
    style: FontStyle,
    /// Byte range in the paragraph text.
    start: usize,
    end: usize,
    glyphs: Vec<Glyph>,
}

/// The text between two break opportunities.
struct Segment {
    pieces: Vec<Piece>,
    /// Width with and without the trailing whitespace.
    width: f32,
    trimmed: f32,
    /// Byte offset where the trailing whitespace starts.
    trim_at: usize,
    /// A mandatory break follows.
    hard: bool,
}

fn cleaned(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn glyphs_width(glyphs: &[Glyph]) -> f32 {
    glyphs.iter().map(|g| g.x_advance).sum()
}

/// Break styled runs into lines of `ps.width` (the first line `ps.first_indent` narrower) and
/// place them according to `ps.align`. Justified lines end exactly at the width; the last line
/// of a paragraph and lines ending at a forced break are set flush left.
fn set_paragraph(
    shaper: &Shaper<'_>,
    runs: &[(FontStyle, &str)],
    ps: ParaStyle,
) -> Result<Vec<LineBox>, LayoutError> {
    let mut text = String::new();
    let mut spans: Vec<(usize, usize, FontStyle)> = Vec::new();
    for (style, t) in runs {
        let t = cleaned(t);
        if t.is_empty() {
            continue;
        }
        let start = text.len();
        text.push_str(&t);
        spans.push((start, text.len(), *style));
    }
    let height = ps.size * ps.line_height;
    let baseline = shaper.baseline(ps.size, ps.line_height);
    if text.is_empty() {
        return Ok(vec![LineBox {
            runs: Vec::new(),
            height,
            baseline,
            width: 0.0,
        }]);
    }

    let mut segments = Vec::new();
    let mut prev = 0;
    for (pos, kind) in linebreaks(&text) {
        if pos == 0 {
            continue;
        }
        let hard = matches!(kind, BreakOpportunity::Mandatory);
        segments.push(make_segment(
            shaper, &text, &spans, ps.size, prev, pos, hard,
        )?);
        prev = pos;
    }

    // A word wider than the narrowest line is broken between characters rather than left to
    // run past the margin (long codes or URLs in narrow table columns).
    let narrowest = (ps.width - ps.first_indent.max(0.0)).max(1.0);
    let mut fitted = Vec::with_capacity(segments.len());
    for seg in segments {
        if seg.trimmed > narrowest + EPS {
            let (start, end, hard) = (seg.pieces[0].start, seg_end(&seg), seg.hard);
            let chars: Vec<(usize, char)> = text[start..end]
                .char_indices()
                .map(|(i, c)| (i + start, c))
                .collect();
            let mut k = 0;
            while k < chars.len() {
                let a = chars[k].0;
                k += 1;
                // Keep combining marks with their base letter.
                while k < chars.len() && is_mark(chars[k].1) {
                    k += 1;
                }
                let b = chars.get(k).map_or(end, |c| c.0);
                let last = k >= chars.len();
                fitted.push(make_segment(
                    shaper,
                    &text,
                    &spans,
                    ps.size,
                    a,
                    b,
                    hard && last,
                )?);
            }
        } else {
            fitted.push(seg);
        }
    }

    // Greedy filling: lines hold segment indices.
    let mut lines: Vec<(Vec<usize>, bool)> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut cur_w = 0.0f32;
    for (i, seg) in fitted.iter().enumerate() {
        let avail = if lines.is_empty() {
            ps.width - ps.first_indent
        } else {
            ps.width
        };
        if !cur.is_empty() && cur_w + seg.trimmed > avail + EPS {
            lines.push((std::mem::take(&mut cur), false));
            cur_w = 0.0;
        }
        cur.push(i);
        cur_w += seg.width;
        if seg.hard {
            lines.push((std::mem::take(&mut cur), true));
            cur_w = 0.0;
        }
    }
    if !cur.is_empty() {
        lines.push((cur, true));
    }

    let mut out = Vec::with_capacity(lines.len());
    let count = lines.len();
    for (n, (segs, hard)) in lines.into_iter().enumerate() {
        let indent = if n == 0 { ps.first_indent } else { 0.0 };
        let avail = ps.width - indent;
        let mut line_runs = build_runs(&text, &fitted, &segs)?;
        let natural: f32 = line_runs.iter().map(|r| r.width).sum();
        let justify = matches!(ps.align, Align::Justify) && !hard && n + 1 < count;
        if justify {
            stretch_spaces(&mut line_runs, avail - natural);
        }
        let width: f32 = line_runs.iter().map(|r| r.width).sum();
        let mut x = indent
            + match ps.align {
                Align::Left | Align::Justify => 0.0,
                Align::Center => ((avail - width) / 2.0).max(0.0),
                Align::Right => (avail - width).max(0.0),
            };
        let start_x = x;
        let mut placed = Vec::with_capacity(line_runs.len());
        for r in line_runs {
            let w = r.width;
            placed.push((x, r));
            x += w;
        }
        out.push(LineBox {
            runs: placed,
            height,
            baseline,
            width: x - start_x,
        });
    }
    Ok(out)
}

fn is_mark(c: char) -> bool {
    matches!(u32::from(c), 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

fn seg_end(seg: &Segment) -> usize {
    seg.pieces.last().map_or(0, |p| p.end)
}

fn make_segment(
    shaper: &Shaper<'_>,
    text: &str,
    spans: &[(usize, usize, FontStyle)],
    size: f32,
    start: usize,
    end: usize,
    hard: bool,
) -> Result<Segment, LayoutError> {
    let body = &text[start..end];
    let trim_at = start + body.trim_end().len();
    let mut pieces = Vec::new();
    for &(s, e, style) in spans {
        let (a, b) = (s.max(start), e.min(end));
        if a >= b {
            continue;
        }
        // The mandatory break character itself is not drawn.
        let piece_text = text[a..b].trim_end_matches(['\n', '\r']);
        if piece_text.is_empty() {
            continue;
        }
        let b = a + piece_text.len();
        let glyphs = shaper.shape(style, size, piece_text)?;
        pieces.push(Piece {
            style,
            start: a,
            end: b,
            glyphs,
        });
    }
    let width = pieces.iter().map(|p| glyphs_width(&p.glyphs)).sum();
    let trimmed = pieces
        .iter()
        .flat_map(|p| {
            p.glyphs
                .iter()
                .filter(move |g| p.start + g.text_range.start < trim_at)
        })
        .map(|g| g.x_advance)
        .sum();
    Ok(Segment {
        pieces,
        width,
        trimmed,
        trim_at,
        hard,
    })
}

/// Merge the pieces of a line into runs, one per stretch of the same face, dropping the line's
/// trailing whitespace.
fn build_runs(
    text: &str,
    segments: &[Segment],
    line: &[usize],
) -> Result<Vec<TextRun>, LayoutError> {
    let last = line.last().copied();
    let mut runs: Vec<TextRun> = Vec::new();
    let mut run_start = 0usize;
    let size_of = |g: &[Glyph]| glyphs_width(g);
    for &si in line {
        let seg = &segments[si];
        for p in &seg.pieces {
            let (end, glyphs): (usize, Vec<Glyph>) = if Some(si) == last {
                let end = p.end.min(seg.trim_at.max(p.start));
                let gs = p
                    .glyphs
                    .iter()
                    .filter(|g| p.start + g.text_range.start < end)
                    .cloned()
                    .collect();
                (end, gs)
            } else {
                (p.end, p.glyphs.clone())
            };
            if end <= p.start || glyphs.is_empty() {
                continue;
            }
            let contiguous = runs
                .last()
                .is_some_and(|r| r.font == p.style && run_start + r.text.len() == p.start);
            if contiguous {
                if let Some(r) = runs.last_mut() {
                    let shift = p.start - run_start;
                    r.text.push_str(&text[p.start..end]);
                    r.width += size_of(&glyphs);
                    r.glyphs.extend(glyphs.into_iter().map(|mut g| {
                        g.text_range = g.text_range.start + shift
                            ..(g.text_range.end + shift).min(end - run_start);
                        g
                    }));
                }
            } else {
                run_start = p.start;
                let glyphs: Vec<Glyph> = glyphs
                    .into_iter()
                    .map(|mut g| {
                        g.text_range.end = g.text_range.end.min(end - p.start);
                        g
                    })
                    .collect();
                runs.push(TextRun {
                    font: p.style,
                    size: 0.0,
                    text: text[p.start..end].to_string(),
                    width: size_of(&glyphs),
                    glyphs,
                });
            }
        }
    }
    // Sizes are filled in by `set_lines`: a paragraph has one size.
    Ok(runs)
}

/// Spread `extra` points over the line's inter-word spaces.
fn stretch_spaces(runs: &mut [TextRun], extra: f32) {
    if extra <= 0.0 {
        return;
    }
    let is_space = |r: &TextRun, g: &Glyph| r.text.get(g.text_range.clone()) == Some(" ");
    let spaces: usize = runs
        .iter()
        .map(|r| r.glyphs.iter().filter(|g| is_space(r, g)).count())
        .sum();
    if spaces == 0 {
        return;
    }
    let each = extra / spaces as f32;
    for r in runs.iter_mut() {
        let flags: Vec<bool> = r.glyphs.iter().map(|g| is_space(r, g)).collect();
        for (g, space) in r.glyphs.iter_mut().zip(flags) {
            if space {
                g.x_advance += each;
            }
        }
        r.width = glyphs_width(&r.glyphs);
    }
}

/// Lines of a paragraph with the run size filled in.
pub(crate) fn set_lines(
    shaper: &Shaper<'_>,
    runs: &[(FontStyle, &str)],
    ps: ParaStyle,
) -> Result<Vec<LineBox>, LayoutError> {
    let mut lines = set_paragraph(shaper, runs, ps)?;
    for l in &mut lines {
        for (_, r) in &mut l.runs {
            r.size = ps.size;
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ps(width: f32, align: Align) -> ParaStyle {
        ParaStyle {
            size: 14.0,
            line_height: 1.15,
            align,
            first_indent: 36.0,
            width,
        }
    }

    #[test]
    fn justified_lines_fill_the_width_and_the_last_is_left() {
        let fonts = Fonts::builtin();
        let sh = Shaper::new(&fonts).unwrap();
        let text = "Thực hiện Kế hoạch số 104/KH-UBND ngày 28/3/2024 của UBND phường Phú Lãm về cải \
                    thiện, nâng cao Chỉ số cải cách hành chính, chỉ số hài lòng về sự phục vụ hành \
                    chính năm 2024, UBND phường báo cáo kết quả thực hiện quý II năm 2024 như sau:";
        let lines = set_lines(
            &sh,
            &[(FontStyle::Regular, text), (FontStyle::Bold, " đậm")],
            ps(467.7, Align::Justify),
        )
        .unwrap();
        assert!(lines.len() >= 3, "{}", lines.len());
        for (i, l) in lines.iter().enumerate() {
            let (x0, _) = &l.runs[0];
            let end = x0 + l.width;
            if i + 1 < lines.len() {
                assert!((end - 467.7).abs() < 0.05, "line {i} ends at {end}");
            } else {
                assert!(end < 467.7 - 1.0);
            }
            if i == 0 {
                assert!((x0 - 36.0).abs() < 1e-3);
            }
        }
        // The text comes back whole, apart from the spaces at line ends.
        let all: String = lines
            .iter()
            .map(|l| {
                l.runs
                    .iter()
                    .map(|(_, r)| r.text.as_str())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(all, format!("{text} đậm"));
        // Glyph ranges stay inside their run's text.
        for l in &lines {
            for (_, r) in &l.runs {
                for g in &r.glyphs {
                    assert!(r.text.get(g.text_range.clone()).is_some());
                }
            }
        }
    }

    #[test]
    fn a_long_word_breaks_between_letters_and_centre_works() {
        let fonts = Fonts::builtin();
        let sh = Shaper::new(&fonts).unwrap();
        let mut p = ps(40.0, Align::Center);
        p.first_indent = 0.0;
        let lines = set_lines(&sh, &[(FontStyle::Regular, "Quyếtđịnhsố7564")], p).unwrap();
        assert!(lines.len() > 1);
        for l in &lines {
            let (x0, _) = &l.runs[0];
            assert!(x0 + l.width <= 40.0 + 0.01);
            assert!((x0 - (40.0 - l.width) / 2.0).abs() < 0.01);
        }
    }

    #[test]
    fn forced_break_starts_a_new_line() {
        let fonts = Fonts::builtin();
        let sh = Shaper::new(&fonts).unwrap();
        let mut p = ps(400.0, Align::Justify);
        p.first_indent = 0.0;
        let lines = set_lines(&sh, &[(FontStyle::Regular, "một\nhai ba")], p).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].runs[0].1.text, "một");
        assert_eq!(lines[1].runs[0].1.text, "hai ba");
    }
}

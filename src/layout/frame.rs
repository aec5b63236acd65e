//! The official frame of Decree 30/2020/NĐ-CP: header block, title, appendix title and
//! signature, each a fixed arrangement of centred lines and short rules.

use super::text::LineBox;
use super::{Area, EPS, Flow, LayoutError, MM, Point};
use crate::doc::{Align, AppendixTitle, HeaderBlock, SignatureBlock, TitleBlock};
use crate::fonts::FontStyle;

/// Header lines (authority, motto) are 12 pt; "Số", the motto's second line and the date 13.
const HEADER_SIZE: f32 = 12.0;
const HEADER_SIZE_2: f32 = 13.0;
/// The left column of the header block takes about 2/5 of the text width.
const HEADER_LEFT: f32 = 0.4;
/// The rule under the issuer is this share of its text width (the decree: 1/3 to 1/2).
const SHORT_RULE: f32 = 0.4;
/// Gap between a line of text and the rule under it.
const RULE_GAP: f32 = 3.0;
/// The signature block's left column (Nơi nhận) share of the text width.
const SIGN_LEFT: f32 = 0.45;
/// Room for the signature and seal (the decree: about 25-30 mm).
const SIGN_SPACE_MM: f32 = 28.0;

/// A column of centred lines stacked from `y`; returns the lines' boxes with their tops.
fn centred(
    flow: &Flow<'_>,
    items: &[(FontStyle, f32, &str)],
    width: f32,
    mut y: f32,
) -> Result<Vec<(f32, LineBox)>, LayoutError> {
    let mut out = Vec::new();
    for (style, size, text) in items {
        for l in flow.lines(&[(*style, text)], *size, Align::Center, 0.0, width)? {
            let h = l.height;
            out.push((y, l));
            y += h;
        }
    }
    Ok(out)
}

fn bottom_of(lines: &[(f32, LineBox)], default: f32) -> f32 {
    lines.last().map_or(default, |(top, l)| top + l.height)
}

/// The centre x of a line's ink, given the column's left edge.
fn ink(x0: f32, l: &LineBox) -> (f32, f32) {
    let start = l.runs.first().map_or(0.0, |(x, _)| *x);
    (x0 + start, l.width)
}

pub(super) fn header(flow: &mut Flow<'_>, h: &HeaderBlock) -> Result<(), LayoutError> {
    let tw = flow.text_width();
    let (lx, lw) = (flow.left, tw * HEADER_LEFT);
    let (rx, rw) = (flow.left + lw, tw - lw);
    let top = flow.y;

    let mut left_items: Vec<(FontStyle, f32, &str)> = Vec::new();
    if let Some(p) = h.parent.as_deref().filter(|p| !p.trim().is_empty()) {
        left_items.push((FontStyle::Regular, HEADER_SIZE, p));
    }
    for i in &h.issuer {
        left_items.push((FontStyle::Bold, HEADER_SIZE, i));
    }
    let left = centred(flow, &left_items, lw, top)?;
    let right = centred(
        flow,
        &[
            (FontStyle::Bold, HEADER_SIZE, &h.motto),
            (FontStyle::Bold, HEADER_SIZE_2, &h.motto_sub),
        ],
        rw,
        top,
    )?;
    for (t, l) in &left {
        flow.draw_line_at(lx, *t, l);
    }
    for (t, l) in &right {
        flow.draw_line_at(rx, *t, l);
    }
    let mut left_bottom = bottom_of(&left, top);
    if let Some((t, l)) = left.last().filter(|_| !h.issuer.is_empty()) {
        let (x, w) = ink(lx, l);
        let rule = w * SHORT_RULE;
        let y = t + l.height + RULE_GAP;
        flow.hline(x + (w - rule) / 2.0, y, rule);
        left_bottom = y;
    }
    let mut right_bottom = bottom_of(&right, top);
    if let Some((t, l)) = right.last() {
        let (x, w) = ink(rx, l);
        let y = t + l.height + RULE_GAP;
        flow.hline(x, y, w);
        right_bottom = y;
    }

    // "Số:" and the place-date share a baseline under both columns.
    let y = left_bottom.max(right_bottom) + 6.0;
    let num = flow.lines(
        &[(FontStyle::Regular, &h.number)],
        HEADER_SIZE_2,
        Align::Center,
        0.0,
        lw,
    )?;
    let date = flow.lines(
        &[(FontStyle::Italic, &h.place_date)],
        HEADER_SIZE_2,
        Align::Center,
        0.0,
        rw,
    )?;
    let mut yl = y;
    for l in &num {
        flow.draw_line_at(lx, yl, l);
        yl += l.height;
    }
    let mut yr = y;
    for l in &date {
        flow.draw_line_at(rx, yr, l);
        yr += l.height;
    }
    flow.y = yl.max(yr) + 12.0;
    Ok(())
}

pub(super) fn title(flow: &mut Flow<'_>, t: &TitleBlock) -> Result<(), LayoutError> {
    let size = flow.style.body_size;
    let mut items = vec![(FontStyle::Bold, size, t.kind.as_str())];
    items.extend(
        t.summary
            .iter()
            .map(|s| (FontStyle::Bold, size, s.as_str())),
    );
    let widest_of = |lines: &[(f32, LineBox)]| {
        lines
            .iter()
            .skip(1)
            .map(|(_, l)| l.width)
            .fold(0.0f32, f32::max)
    };
    centred_block(flow, &items, |lines| widest_of(lines) * SHORT_RULE)
}

pub(super) fn appendix_title(flow: &mut Flow<'_>, a: &AppendixTitle) -> Result<(), LayoutError> {
    let size = flow.style.body_size;
    let mut items = vec![(FontStyle::Bold, size, a.label.as_str())];
    items.extend(a.title.iter().map(|s| (FontStyle::Bold, size, s.as_str())));
    items.push((FontStyle::Italic, size, a.reference.as_str()));
    let tw = flow.text_width();
    centred_block(flow, &items, |_| tw / 4.0)
}

/// Centred lines across the text width, kept on one page, then a centred short rule of the
/// width `rule` computes from the lines.
fn centred_block(
    flow: &mut Flow<'_>,
    items: &[(FontStyle, f32, &str)],
    rule: impl Fn(&[(f32, LineBox)]) -> f32,
) -> Result<(), LayoutError> {
    let tw = flow.text_width();
    let mut lines = centred(flow, items, tw, flow.y)?;
    let h = bottom_of(&lines, flow.y) - flow.y + RULE_GAP + 12.0;
    if h > flow.remaining() + EPS && !flow.fresh() {
        flow.new_page();
        lines = centred(flow, items, tw, flow.y)?;
    }
    for (t, l) in &lines {
        flow.draw_line_at(flow.left, *t, l);
    }
    let y = bottom_of(&lines, flow.y) + RULE_GAP;
    let w = rule(&lines).min(tw / 2.0);
    if w > 0.0 {
        flow.hline(flow.left + (tw - w) / 2.0, y, w);
    }
    flow.y = y + 12.0;
    Ok(())
}

/// The signature block set but not placed: its two columns, relative to its top.
struct SignatureSet {
    left: Vec<(f32, LineBox)>,
    right: Vec<(f32, LineBox)>,
    auth_bottom: f32,
    signer_top: f32,
    height: f32,
    lx: f32,
    rx: f32,
    rw: f32,
}

/// A little more room above the block than between paragraphs.
const SIGNATURE_GAP: f32 = 6.0;

fn set_signature(flow: &Flow<'_>, s: &SignatureBlock) -> Result<SignatureSet, LayoutError> {
    let tw = flow.text_width();
    let (lx, lw) = (flow.left, tw * SIGN_LEFT);
    let (rx, rw) = (flow.left + lw, tw - lw);
    let size = flow.style.body_size;

    let authority: Vec<(FontStyle, f32, &str)> = s
        .authority
        .iter()
        .map(|a| (FontStyle::Bold, size, a.as_str()))
        .collect();
    let right_auth = centred(flow, &authority, rw, 0.0)?;
    let auth_bottom = bottom_of(&right_auth, 0.0);
    let signer_top = auth_bottom + SIGN_SPACE_MM * MM;
    let signer = centred(flow, &[(FontStyle::Bold, size, &s.signer)], rw, signer_top)?;
    let right_h = bottom_of(&signer, signer_top);

    // "Nơi nhận:" sits on the baseline of the right column's first line.
    let first_baseline = right_auth.first().map_or_else(
        || flow.sh.baseline(size, flow.style.line_height),
        |(_, l)| l.baseline,
    );
    let nn = flow.lines(
        &[(FontStyle::BoldItalic, "Nơi nhận:")],
        12.0,
        Align::Left,
        0.0,
        lw,
    )?;
    let nn_top = first_baseline - nn.first().map_or(0.0, |l| l.baseline);
    let mut left: Vec<(f32, LineBox)> = Vec::new();
    let mut y = nn_top;
    for l in nn {
        let h = l.height;
        left.push((y, l));
        y += h;
    }
    for r in &s.recipients {
        for l in flow.lines(&[(FontStyle::Regular, r)], 11.0, Align::Left, 0.0, lw)? {
            // Recipients are set solid, as in the decree's model.
            let h = 11.0 * 1.1;
            left.push((y, l));
            y += h;
        }
    }
    let height = right_h.max(y);
    let mut right = right_auth;
    right.extend(signer);
    Ok(SignatureSet {
        left,
        right,
        auth_bottom,
        signer_top,
        height,
        lx,
        rx,
        rw,
    })
}

/// The height the signature block needs below the text before it (its gap included).
pub(super) fn signature_height(flow: &Flow<'_>, s: &SignatureBlock) -> Result<f32, LayoutError> {
    Ok(SIGNATURE_GAP + set_signature(flow, s)?.height)
}

pub(super) fn signature(flow: &mut Flow<'_>, s: &SignatureBlock) -> Result<(), LayoutError> {
    let SignatureSet {
        left,
        right,
        auth_bottom,
        signer_top,
        height,
        lx,
        rx,
        rw,
    } = set_signature(flow, s)?;

    // The whole block on one page.
    let gap = SIGNATURE_GAP;
    if gap + height > flow.remaining() + EPS && !flow.fresh() {
        flow.new_page();
    } else if !flow.fresh() {
        flow.y += gap;
    }
    if height > flow.remaining() + EPS {
        return Err(LayoutError::TooTall("Khối chữ ký và nơi nhận".into()));
    }
    let top = flow.y;
    for (t, l) in &left {
        flow.draw_line_at(lx, top + t, l);
    }
    for (t, l) in &right {
        flow.draw_line_at(rx, top + t, l);
    }
    if let Some(page) = flow.pages.last_mut() {
        page.signature_area = Some(Area {
            at: Point {
                x: rx,
                y: top + auth_bottom,
            },
            width: rw,
            height: signer_top - auth_bottom,
        });
    }
    flow.y = top + height + flow.style.paragraph_spacing;
    Ok(())
}

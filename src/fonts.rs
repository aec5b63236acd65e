//! The four faces every PDF is set in, and the check that they can draw the document.
//!
//! The built-in faces are Liberation Serif 2.1.5 (metric-compatible with Times New Roman, SIL OFL
//! 1.1), embedded in the binary so that a fresh machine needs no font. A workspace may name other
//! files instead (the real Times New Roman on an office PC). Neither rustybuzz nor krilla falls
//! back to another font, so a character the face lacks would silently become an empty box:
//! [`Fonts::check`] finds those before anything is drawn.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// One of the four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontStyle {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl FontStyle {
    pub const ALL: [FontStyle; 4] = [
        FontStyle::Regular,
        FontStyle::Bold,
        FontStyle::Italic,
        FontStyle::BoldItalic,
    ];

    pub fn new(bold: bool, italic: bool) -> FontStyle {
        match (bold, italic) {
            (false, false) => FontStyle::Regular,
            (true, false) => FontStyle::Bold,
            (false, true) => FontStyle::Italic,
            (true, true) => FontStyle::BoldItalic,
        }
    }

    pub fn is_bold(self) -> bool {
        matches!(self, FontStyle::Bold | FontStyle::BoldItalic)
    }

    pub fn is_italic(self) -> bool {
        matches!(self, FontStyle::Italic | FontStyle::BoldItalic)
    }

    fn index(self) -> usize {
        match self {
            FontStyle::Regular => 0,
            FontStyle::Bold => 1,
            FontStyle::Italic => 2,
            FontStyle::BoldItalic => 3,
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            FontStyle::Regular => "thường",
            FontStyle::Bold => "đậm",
            FontStyle::Italic => "nghiêng",
            FontStyle::BoldItalic => "đậm nghiêng",
        }
    }
}

/// Font bytes shared without copying: the built-in faces are `&'static` slices, files read by
/// the workspace are vectors; krilla accepts both behind the same `Arc`.
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The four faces of the family used for a document.
#[derive(Clone)]
pub struct Fonts {
    faces: [FontBytes; 4],
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sizes: Vec<usize> = self.faces.iter().map(|b| (**b).as_ref().len()).collect();
        f.debug_struct("Fonts").field("bytes", &sizes).finish()
    }
}

static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");
static BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf");

/// Why a set of font files cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FontError {
    #[error("tệp phông chữ {style} không đọc được (không phải TrueType/OpenType hợp lệ)")]
    Unreadable { style: &'static str },
}

/// A character of the document that a face cannot draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGlyph {
    pub ch: char,
    /// The face that lacks it.
    pub style: FontStyle,
    /// The text (run, line or cell) it occurs in.
    pub text: String,
}

impl fmt::Display for MissingGlyph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "phông chữ {} không có ký tự «{}» (U+{:04X}) trong: «{}»",
            self.style.name_vi(),
            self.ch,
            u32::from(self.ch),
            self.text
        )
    }
}

impl Fonts {
    /// Liberation Serif 2.1.5, embedded in the binary.
    pub fn builtin() -> Fonts {
        Fonts {
            faces: [
                Arc::new(REGULAR),
                Arc::new(BOLD),
                Arc::new(ITALIC),
                Arc::new(BOLD_ITALIC),
            ],
        }
    }

    /// Faces read from files the workspace names. Each must parse as a TrueType/OpenType font.
    pub fn from_files(
        regular: Vec<u8>,
        bold: Vec<u8>,
        italic: Vec<u8>,
        bold_italic: Vec<u8>,
    ) -> Result<Fonts, FontError> {
        let fonts = Fonts {
            faces: [
                Arc::new(regular),
                Arc::new(bold),
                Arc::new(italic),
                Arc::new(bold_italic),
            ],
        };
        for style in FontStyle::ALL {
            if rustybuzz::Face::from_slice(fonts.bytes(style), 0).is_none() {
                return Err(FontError::Unreadable {
                    style: style.name_vi(),
                });
            }
        }
        Ok(fonts)
    }

    /// The raw bytes of one face.
    pub fn bytes(&self, style: FontStyle) -> &[u8] {
        (*self.faces[style.index()]).as_ref()
    }

    /// The shared bytes of one face (for the PDF writer, which embeds them without copying).
    pub fn shared(&self, style: FontStyle) -> FontBytes {
        Arc::clone(&self.faces[style.index()])
    }

    /// Every character of `uses` that its face cannot draw, each (character, face) once, with
    /// the first text it occurs in. `crate::layout::missing_glyphs` asks it for a whole
    /// document, in the faces the layout sets each part in.
    pub fn check_texts(&self, uses: &[(FontStyle, &str)]) -> Vec<MissingGlyph> {
        let faces: Vec<Option<rustybuzz::Face<'_>>> = FontStyle::ALL
            .iter()
            .map(|s| rustybuzz::Face::from_slice(self.bytes(*s), 0))
            .collect();
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        // The font's answer per face and character below U+2000 (Latin and Vietnamese), asked
        // once: 0 not asked, 1 drawn, 2 missing. Texts repeat the same few hundred characters
        // tens of thousands of times, and each lookup walks the font's cmap.
        const KNOWN: usize = 0x2000;
        let mut known = vec![0u8; FontStyle::ALL.len() * KNOWN];
        for (style, text) in uses {
            for ch in text.chars() {
                // Line breaks and tabs are never drawn as glyphs.
                if ch.is_control() {
                    continue;
                }
                let slot = ((ch as usize) < KNOWN).then(|| style.index() * KNOWN + ch as usize);
                let asked = match slot {
                    Some(at) => known[at] != 0,
                    None => seen.contains(&(ch, *style)),
                };
                if asked {
                    continue;
                }
                let has = faces[style.index()]
                    .as_ref()
                    .is_some_and(|f| f.glyph_index(ch).is_some());
                if let Some(at) = slot {
                    known[at] = if has { 1 } else { 2 };
                }
                if !has {
                    seen.insert((ch, *style));
                    out.push(MissingGlyph {
                        ch,
                        style: *style,
                        text: (*text).to_string(),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_covers_the_specimen_and_vietnamese() {
        let fonts = Fonts::builtin();
        assert!(crate::layout::missing_glyphs(&fonts, &crate::doc::specimen()).is_empty());
        let all_vi = "ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹĐđƠơƯư";
        for style in FontStyle::ALL {
            assert!(
                fonts.check_texts(&[(style, all_vi)]).is_empty(),
                "{style:?}"
            );
        }
    }

    #[test]
    fn a_missing_character_is_named_with_its_code_and_text() {
        let fonts = Fonts::builtin();
        let missing = fonts.check_texts(&[(FontStyle::Regular, "Hà Nội 漢 漢")]);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].ch, '漢');
        let msg = missing[0].to_string();
        assert!(msg.contains("U+6F22"), "{msg}");
        assert!(msg.contains("Hà Nội 漢 漢"), "{msg}");
    }

    #[test]
    fn each_missing_character_is_named_once_per_face() {
        // Thai (U+0E01) is below U+2000, where answers are remembered per face; the CJK
        // character above it goes through the other path.
        let fonts = Fonts::builtin();
        let missing = fonts.check_texts(&[
            (FontStyle::Regular, "ก đã ก"),
            (FontStyle::Regular, "lại ก và 漢"),
            (FontStyle::Bold, "ก"),
            (FontStyle::Regular, "漢 nữa"),
        ]);
        let found: Vec<(char, FontStyle, &str)> = missing
            .iter()
            .map(|m| (m.ch, m.style, m.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ('ก', FontStyle::Regular, "ก đã ก"),
                ('漢', FontStyle::Regular, "lại ก và 漢"),
                ('ก', FontStyle::Bold, "ก"),
            ]
        );
    }

    #[test]
    fn from_files_rejects_garbage() {
        let r = Fonts::from_files(vec![1, 2, 3], vec![], vec![], vec![]);
        assert!(r.is_err());
        let ok = Fonts::from_files(
            REGULAR.to_vec(),
            BOLD.to_vec(),
            ITALIC.to_vec(),
            BOLD_ITALIC.to_vec(),
        );
        assert!(ok.is_ok());
    }
}

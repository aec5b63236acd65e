//! A small XML tree over quick-xml, and the fixes applied to docx-rs's parts.
//!
//! docx-rs writes children in whatever order its builders hold them, which breaks the
//! `xsd:sequence` order of the OOXML schema (docx-rs issue #724; Word then offers to "recover"
//! the file). Every part is parsed into a tree, patched, and its children stably sorted by the
//! schema's sequence for their parent. Text and attribute values are kept exactly as written
//! (still escaped), so the pass never changes content.

use compact_str::{CompactString, ToCompactString};
use quick_xml::Reader;
use quick_xml::events::Event;

/// Element and attribute names, attribute values and text. Nearly all are short ("w:rPr",
/// "w:val", "24"): inline in the node, they cost no allocation to read and none to free,
/// which were half of this pass's time with `String`.
pub type Str = CompactString;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Elem(Elem),
    /// Character data, still escaped.
    Text(Str),
    /// Comments, CDATA and processing instructions, verbatim.
    Raw(Str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    pub name: Str,
    /// Attribute names and values, values still escaped.
    pub attrs: Vec<(Str, Str)>,
    pub children: Vec<Node>,
}

impl Elem {
    pub fn new(name: &str, attrs: &[(&str, &str)]) -> Elem {
        Elem {
            name: Str::from(name),
            attrs: attrs
                .iter()
                .map(|(k, v)| (Str::from(*k), Str::from(*v)))
                .collect(),
            children: Vec::new(),
        }
    }

    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.children.iter().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Text(_) | Node::Raw(_) => None,
        })
    }

    pub fn elems_mut(&mut self) -> impl Iterator<Item = &mut Elem> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Text(_) | Node::Raw(_) => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Elem> {
        self.elems().find(|e| e.name == name)
    }

    pub fn child_mut(&mut self, name: &str) -> Option<&mut Elem> {
        self.elems_mut().find(|e| e.name == name)
    }

    /// Calls `f` on this element and every descendant, parents first.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Elem)) {
        f(self);
        for c in self.elems_mut() {
            c.walk_mut(f);
        }
    }
}

/// Parses a whole part. Whitespace-only text between elements is dropped (docx-rs writes
/// none, and reordering would otherwise move it around).
pub fn parse(xml: &[u8]) -> Result<Elem, String> {
    let text = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Elem> = Vec::new();
    let mut root: Option<Elem> = None;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("{e} (byte {})", reader.buffer_position()))?;
        match ev {
            Event::Start(s) | Event::Empty(s) if root.is_some() => {
                return Err(format!("nội dung sau phần tử gốc: {}", s.name().as_ref()));
            }
            Event::Start(s) => stack.push(start(&s)?),
            Event::Empty(s) => {
                let e = start(&s)?;
                push(&mut stack, &mut root, e);
            }
            Event::End(_) => {
                let e = stack.pop().ok_or("thẻ đóng thừa")?;
                push(&mut stack, &mut root, e);
            }
            Event::Text(t) => {
                let raw = t.into_inner();
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Text(Str::from(&*raw)));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Text(compact_str::format_compact!(
                        "&{};",
                        r.into_inner()
                    )));
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    let raw = c.into_inner();
                    top.children
                        .push(Node::Raw(compact_str::format_compact!("<![CDATA[{raw}]]>")));
                }
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err("thiếu thẻ đóng".into());
    }
    let mut root = root.ok_or("không có phần tử gốc")?;
    drop_layout_whitespace(&mut root);
    Ok(root)
}

fn start(s: &quick_xml::events::BytesStart<'_>) -> Result<Elem, String> {
    let name = s.name().as_ref().to_compact_string();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.as_ref().to_compact_string();
        attrs.push((key, Str::from(&*a.value)));
    }
    Ok(Elem {
        name,
        attrs,
        children: Vec::new(),
    })
}

fn push(stack: &mut [Elem], root: &mut Option<Elem>, e: Elem) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Elem(e)),
        None => *root = Some(e),
    }
}

fn drop_layout_whitespace(e: &mut Elem) {
    let has_elems = e.elems().next().is_some();
    if has_elems {
        e.children.retain(|n| match n {
            Node::Text(t) => !t.trim().is_empty(),
            Node::Elem(_) | Node::Raw(_) => true,
        });
    }
    for c in e.elems_mut() {
        drop_layout_whitespace(c);
    }
}

/// Serialises a part with the standard declaration.
pub fn serialize(root: &Elem) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n");
    write_elem(root, &mut out);
    out.into_bytes()
}

fn write_elem(e: &Elem, out: &mut String) {
    out.push('<');
    out.push_str(&e.name);
    for (k, v) in &e.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        // A value read from a single-quoted attribute may hold a bare double quote; the others,
        // nearly all, are written without a copy.
        if v.contains('"') {
            out.push_str(&v.replace('"', "&quot;"));
        } else {
            out.push_str(v);
        }
        out.push('"');
    }
    if e.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for c in &e.children {
        match c {
            Node::Elem(c) => write_elem(c, out),
            Node::Text(t) | Node::Raw(t) => out.push_str(t),
        }
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

/// Escapes text for element content or a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

// Schema sequences (ECMA-376 Part 1, wml.xsd), by local name in the w: namespace.
const PPR: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];
const RPR: &[&str] = &[
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
];
const SECTPR: &[&str] = &[
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
];
const TBLPR: &[&str] = &[
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
];
const TRPR: &[&str] = &[
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
    "ins",
    "del",
    "trPrChange",
];
const TCPR: &[&str] = &[
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
    "headers",
    "cellIns",
    "cellDel",
    "cellMerge",
    "tcPrChange",
];
const BORDERS: &[&str] = &[
    "top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "tl2br", "tr2bl",
];
const PBDR: &[&str] = &["top", "left", "bottom", "right", "between", "bar"];
const CELL_MAR: &[&str] = &["top", "left", "start", "bottom", "right", "end"];
const STYLE: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
];
const DOC_DEFAULTS: &[&str] = &["rPrDefault", "pPrDefault"];
const STYLES: &[&str] = &["docDefaults", "latentStyles", "style"];
const LVL: &[&str] = &[
    "start",
    "numFmt",
    "lvlRestart",
    "pStyle",
    "isLgl",
    "suff",
    "lvlText",
    "lvlPicBulletId",
    "legacy",
    "lvlJc",
    "pPr",
    "rPr",
];
const ABSTRACT_NUM: &[&str] = &[
    "nsid",
    "multiLevelType",
    "tmpl",
    "name",
    "styleLink",
    "numStyleLink",
    "lvl",
];
const NUMBERING: &[&str] = &["numPicBullet", "abstractNum", "num", "numIdMacAtCleanup"];
const NUM: &[&str] = &["abstractNumId", "lvlOverride"];
const P: &[&str] = &["pPr"];
const R: &[&str] = &["rPr"];
const TC: &[&str] = &["tcPr"];
const TR: &[&str] = &["tblPrEx", "trPr"];
const TBL: &[&str] = &["tblPr", "tblGrid"];
const SETTINGS: &[&str] = &[
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
];
const COMPAT: &[&str] = &[
    "useSingleBorderforContiguousCells",
    "wpJustification",
    "noTabHangInd",
    "noLeading",
    "spaceForUL",
    "noColumnBalance",
    "balanceSingleByteDoubleByteWidth",
    "noExtraLineSpacing",
    "doNotLeaveBackslashAlone",
    "ulTrailSpace",
    "doNotExpandShiftReturn",
    "spacingInWholePoints",
    "lineWrapLikeWord6",
    "printBodyTextBeforeHeader",
    "printColBlack",
    "wpSpaceWidth",
    "showBreaksInFrames",
    "subFontBySize",
    "suppressBottomSpacing",
    "suppressTopSpacing",
    "suppressSpacingAtTopOfPage",
    "suppressTopSpacingWP",
    "suppressSpBfAfterPgBrk",
    "swapBordersFacingPages",
    "convMailMergeEsc",
    "truncateFontHeightsLikeWP6",
    "mwSmallCaps",
    "usePrinterMetrics",
    "doNotSuppressParagraphBorders",
    "wrapTrailSpaces",
    "footnoteLayoutLikeWW8",
    "shapeLayoutLikeWW8",
    "alignTablesRowByRow",
    "forgetLastTabAlignment",
    "adjustLineHeightInTable",
    "autoSpaceLikeWord95",
    "noSpaceRaiseLower",
    "doNotUseHTMLParagraphAutoSpacing",
    "layoutRawTableWidth",
    "layoutTableRowsApart",
    "useWord97LineBreakRules",
    "doNotBreakWrappedTables",
    "doNotSnapToGridInCell",
    "selectFldWithFirstOrLastChar",
    "applyBreakingRules",
    "doNotWrapTextWithPunct",
    "doNotUseEastAsianBreakRules",
    "useWord2002TableStyleRules",
    "growAutofit",
    "useFELayout",
    "useNormalStyleForList",
    "doNotUseIndentAsNumberingTabStop",
    "useAltKinsokuLineBreakRules",
    "allowSpaceOfSameStyleInTable",
    "doNotSuppressIndentation",
    "doNotAutofitConstrainedTables",
    "autofitToFirstFixedWidthCell",
    "underlineTabInNumList",
    "displayHangulFixedWidth",
    "splitPgBreakAndParaMark",
    "doNotVertAlignCellWithSp",
    "doNotBreakConstrainedForcedTable",
    "doNotVertAlignInTxbx",
    "useAnsiKerningPairs",
    "cachedColBalance",
    "compatSetting",
];

fn sequence(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "pPr" => PPR,
        "rPr" => RPR,
        "sectPr" => SECTPR,
        "tblPr" => TBLPR,
        "trPr" => TRPR,
        "tcPr" => TCPR,
        "tblBorders" | "tcBorders" => BORDERS,
        "pBdr" => PBDR,
        "tblCellMar" | "tcMar" => CELL_MAR,
        "style" => STYLE,
        "docDefaults" => DOC_DEFAULTS,
        "styles" => STYLES,
        "lvl" => LVL,
        "abstractNum" => ABSTRACT_NUM,
        "numbering" => NUMBERING,
        "num" => NUM,
        "p" => P,
        "r" => R,
        "tc" => TC,
        "tr" => TR,
        "tbl" => TBL,
        "settings" => SETTINGS,
        "compat" => COMPAT,
        _ => return None,
    })
}

fn local(name: &str) -> Option<&str> {
    name.strip_prefix("w:")
}

/// Sorts every element's children into schema order. Elements the sequence does not name
/// (extensions such as w14:*) keep their relative order after the named ones; the body's
/// `sectPr` goes last.
pub fn reorder(e: &mut Elem) {
    let parent = local(&e.name).unwrap_or("");
    if parent == "body" {
        e.children.sort_by_key(|n| match n {
            Node::Elem(c) => usize::from(c.name == "w:sectPr"),
            Node::Text(_) | Node::Raw(_) => 0,
        });
    } else if let Some(seq) = sequence(parent) {
        let rank = |n: &Node| match n {
            Node::Elem(c) => local(&c.name)
                .and_then(|l| seq.iter().position(|s| *s == l))
                .unwrap_or(seq.len()),
            Node::Text(_) | Node::Raw(_) => seq.len(),
        };
        // Each rank is a search of the sequence: one per child, not one per comparison, and
        // nothing is allocated for the children that are in order already (nearly all).
        if !e.children.iter().map(rank).is_sorted() {
            let mut ranked: Vec<(usize, Node)> =
                e.children.drain(..).map(|n| (rank(&n), n)).collect();
            ranked.sort_by_key(|(r, _)| *r);
            e.children.extend(ranked.into_iter().map(|(_, n)| n));
        }
    }
    for c in e.elems_mut() {
        reorder(c);
    }
}

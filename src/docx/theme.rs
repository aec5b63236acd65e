//! A minimal theme part. Word requires a document to have one; ours names
//! Times New Roman as both theme fonts, so text that falls back to the theme (e.g. a style a
//! user creates in Word) still comes out in the decree's font.

pub const PART: &str = "word/theme/theme1.xml";
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
pub const REL_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";

pub fn xml() -> String {
    let colours = [
        ("dk2", "1F2937"),
        ("lt2", "E5E7EB"),
        ("accent1", "1F4E79"),
        ("accent2", "833C0B"),
        ("accent3", "385623"),
        ("accent4", "7F6000"),
        ("accent5", "2E74B5"),
        ("accent6", "C00000"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ];
    let mut s = String::from(super::wml::XML_DECL);
    s.push_str(
        "<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"cchc\">\
         <a:themeElements><a:clrScheme name=\"cchc\">\
         <a:dk1><a:sysClr val=\"windowText\" lastClr=\"000000\"/></a:dk1>\
         <a:lt1><a:sysClr val=\"window\" lastClr=\"FFFFFF\"/></a:lt1>",
    );
    for (name, rgb) in colours {
        s.push_str(&format!("<a:{name}><a:srgbClr val=\"{rgb}\"/></a:{name}>"));
    }
    s.push_str("</a:clrScheme><a:fontScheme name=\"cchc\">");
    for kind in ["majorFont", "minorFont"] {
        s.push_str(&format!(
            "<a:{kind}><a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"\"/>\
             <a:cs typeface=\"Times New Roman\"/></a:{kind}>"
        ));
    }
    s.push_str("</a:fontScheme><a:fmtScheme name=\"cchc\">");
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    s.push_str(&format!(
        "<a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst><a:lnStyleLst>"
    ));
    for w in [6350, 12700, 19050] {
        s.push_str(&format!("<a:ln w=\"{w}\">{fill}</a:ln>"));
    }
    s.push_str("</a:lnStyleLst><a:effectStyleLst>");
    for _ in 0..3 {
        s.push_str("<a:effectStyle><a:effectLst/></a:effectStyle>");
    }
    s.push_str(&format!(
        "</a:effectStyleLst><a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst>\
         </a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    ));
    s
}

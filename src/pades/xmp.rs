//! XMP metadata packets, read just far enough to compare two of them property by property.
//!
//! Writers re-serialise XMP freely (pyHanko moves namespace declarations, renames prefixes to
//! ns0, ns1...), so properties are named by namespace URI, shown with the usual prefix, and
//! each value is flattened to text: the text and attribute values inside the property, in
//! document order. The reader is quick-xml's streaming one, so nesting costs no stack.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use std::collections::BTreeMap;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// The usual prefix of a namespace, else the URI itself.
fn prefix(ns: &str) -> &str {
    let known: &[(&str, &str)] = &[
        ("http://purl.org/dc/elements/1.1/", "dc"),
        ("http://ns.adobe.com/xap/1.0/", "xmp"),
        ("http://ns.adobe.com/pdf/1.3/", "pdf"),
        ("http://ns.adobe.com/xap/1.0/mm/", "xmpMM"),
        ("http://ns.adobe.com/xap/1.0/rights/", "xmpRights"),
        ("http://ns.adobe.com/xap/1.0/t/pg/", "xmpTPg"),
        ("http://ns.adobe.com/photoshop/1.0/", "photoshop"),
        ("http://www.aiim.org/pdfa/ns/id/", "pdfaid"),
        ("http://www.aiim.org/pdfa/ns/extension/", "pdfaExtension"),
        (RDF, "rdf"),
        ("http://www.w3.org/XML/1998/namespace", "xml"),
    ];
    known.iter().find(|(u, _)| *u == ns).map_or(ns, |(_, p)| p)
}

fn key(ns: Option<&str>, local: &str) -> String {
    match ns {
        Some(ns) => format!("{}:{local}", prefix(ns)),
        None => local.to_string(),
    }
}

fn bound(r: ResolveResult) -> Option<String> {
    match r {
        ResolveResult::Bound(n) => Some(n.as_ref().to_string()),
        _ => None,
    }
}

/// The properties of the packet ("dc:title" → "Báo cáo ..."); None when it is not XML that
/// can be read.
pub fn properties(xml: &[u8]) -> Option<BTreeMap<String, String>> {
    let mut r = quick_xml::NsReader::from_reader(xml);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // Element depth, and the depth of the rdf:Description being read (a child of rdf:RDF).
    let mut depth = 0usize;
    let mut rdf_at: Option<usize> = None;
    let mut desc_at: Option<usize> = None;
    // The property being read: its key, and the depth of its element.
    let mut prop: Option<(String, usize)> = None;
    // Text of the property read since the last tag (entities arrive as events of their own).
    let mut text = String::new();
    loop {
        let (res, ev) = r.read_resolved_event().ok()?;
        if matches!(
            ev,
            Event::Start(_) | Event::Empty(_) | Event::End(_) | Event::Eof
        ) {
            if let Some((k, _)) = &prop
                && !text.trim().is_empty()
            {
                out.entry(k.clone())
                    .or_default()
                    .push(text.trim().to_string());
            }
            text.clear();
        }
        let ns = bound(res);
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                depth += 1;
                if depth > 256 {
                    return None;
                }
                let local = e.local_name().as_ref().to_string();
                let is_rdf = |l: &str| ns.as_deref() == Some(RDF) && local == l;
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.ok()?;
                    let raw_key = a.key.as_ref();
                    if raw_key == "xmlns" || raw_key.starts_with("xmlns:") {
                        continue;
                    }
                    let (ares, alocal) = r.resolver().resolve_attribute(a.key);
                    let k = key(bound(ares).as_deref(), alocal.as_ref());
                    if matches!(k.as_str(), "rdf:about" | "rdf:parseType" | "xml:lang") {
                        continue;
                    }
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()?
                        .trim()
                        .to_string();
                    attrs.push((k, v));
                }
                match (&prop, desc_at, rdf_at) {
                    (Some(_), _, _) => {
                        let (pk, _) = prop.as_ref().expect("matched");
                        let vals = out.entry(pk.clone()).or_default();
                        for (k, v) in attrs {
                            vals.push(format!("{k}={v}"));
                        }
                    }
                    (None, Some(d), _) if depth == d + 1 => {
                        let k = key(ns.as_deref(), &local);
                        let vals = out.entry(k.clone()).or_default();
                        for (ak, v) in attrs {
                            vals.push(if ak == "rdf:resource" {
                                v
                            } else {
                                format!("{ak}={v}")
                            });
                        }
                        if !empty {
                            prop = Some((k, depth));
                        }
                    }
                    (None, None, Some(rd)) if depth == rd + 1 && is_rdf("Description") => {
                        // Properties written as attributes of the description.
                        for (k, v) in attrs {
                            out.entry(k).or_default().push(v);
                        }
                        if !empty {
                            desc_at = Some(depth);
                        }
                    }
                    (None, None, None) if is_rdf("RDF") && !empty => rdf_at = Some(depth),
                    _ => {}
                }
                if empty {
                    depth -= 1;
                }
            }
            Event::End(_) => {
                if prop.as_ref().is_some_and(|(_, d)| *d == depth) {
                    prop = None;
                } else if desc_at == Some(depth) {
                    desc_at = None;
                } else if rdf_at == Some(depth) {
                    rdf_at = None;
                }
                depth = depth.checked_sub(1)?;
            }
            Event::Text(t) if prop.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if prop.is_some() => text.push_str(&t.into_inner()),
            Event::GeneralRef(g) if prop.is_some() => match g.resolve_char_ref().ok()? {
                Some(c) => text.push(c),
                None => text.push(match &*g.xml10_content() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => return None,
                }),
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out.into_iter().map(|(k, v)| (k, v.join("; "))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_by_namespace_not_by_prefix() {
        let a = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:ModifyDate="2024-06-05T00:00:00Z"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Báo cáo &amp; quý II</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>UBND</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;
        let b = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:ns0="http://purl.org/dc/elements/1.1/" xmlns:ns1="http://ns.adobe.com/xap/1.0/" rdf:about="">
<ns1:ModifyDate>2024-06-05T00:00:00Z</ns1:ModifyDate>
<ns0:title><rdf:Alt><rdf:li xml:lang="x-default">Báo cáo &#38; quý II</rdf:li></rdf:Alt></ns0:title>
<ns0:creator><rdf:Seq><rdf:li>UBND</rdf:li></rdf:Seq></ns0:creator>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let pa = properties(a.as_bytes()).unwrap();
        assert_eq!(pa["dc:title"], "Báo cáo & quý II");
        assert_eq!(pa["xmp:ModifyDate"], "2024-06-05T00:00:00Z");
        assert_eq!(pa, properties(b.as_bytes()).unwrap());
        assert!(properties(b"<a><b></a>").is_none());
    }
}

//! The attributes of the generated crates' optional `serde` feature: a
//! stable JSON form for users (model member names, as the AWS CLI prints
//! them; timestamps as RFC 3339, blobs as base64). The wire never uses it.

use super::tokens::rt;
use crate::ir::{Member, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The derives of a structure or union.
fn derives() -> TokenStream {
    let rt = rt();
    quote!(#[cfg_attr(feature = "serde", derive(#rt::codegen::serde::Serialize, #rt::codegen::serde::Deserialize))])
}

/// Where the derives find serde: re-exported by the runtime, so that a
/// generated crate does not name serde itself.
const SERDE_CRATE: &str = "sdkgen_runtime::codegen::serde";

/// The derives and crate path of a union.
pub fn container() -> TokenStream {
    let derives = derives();
    quote! {
        #derives
        #[cfg_attr(feature = "serde", serde(crate = #SERDE_CRATE))]
    }
}

/// The derives, crate path, defaults and naming rule of a structure. Its
/// members are absent when unset (the structure's `Default` fills them),
/// and named by the rule that names most of them from their Rust field;
/// only the others carry a `rename` (a rename and a default on every
/// member were a fortieth of all the tokens generated for botocore).
pub fn structure(s: &Structure) -> (TokenStream, Rule) {
    let named = |rule: Rule| s.members.iter().filter(|m| rule.names(m)).count();
    let rule = if named(Rule::Camel) > named(Rule::Pascal) {
        Rule::Camel
    } else {
        Rule::Pascal
    };
    let all = rule.serde_name();
    let derives = derives();
    let tokens = quote! {
        #derives
        #[cfg_attr(feature = "serde", serde(crate = #SERDE_CRATE, default, rename_all = #all))]
    };
    (tokens, rule)
}

/// How serde names a field from its Rust name (`rename_all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Pascal,
    Camel,
}

impl Rule {
    fn serde_name(self) -> &'static str {
        match self {
            Rule::Pascal => "PascalCase",
            Rule::Camel => "camelCase",
        }
    }

    /// What serde makes of the field's name under this rule: words split at
    /// `_`, each capitalised, the first lowered for camelCase (serde's own
    /// rule, on the name without `r#`).
    fn apply(self, field: &str) -> String {
        let mut out = String::with_capacity(field.len());
        let mut capitalize = true;
        for ch in field.trim_start_matches("r#").chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                out.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                out.push(ch);
            }
        }
        if self == Rule::Camel {
            if let Some(first) = out.get(..1) {
                out = first.to_ascii_lowercase() + &out[1..];
            }
        }
        out
    }

    fn names(self, m: &Member) -> bool {
        self.apply(&m.field) == m.name
    }
}

/// A member under its model name; absent when unset; a stream is left out.
pub fn field(m: &Member, rule: Rule) -> TokenStream {
    if matches!(
        m.ty,
        Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_)
    ) {
        return skip();
    }
    if rule.names(m) {
        quote!(#[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))])
    } else {
        let name = &m.name;
        quote!(#[cfg_attr(feature = "serde", serde(rename = #name, skip_serializing_if = "Option::is_none"))])
    }
}

/// A union variant under its member's model name.
pub fn variant(m: &Member) -> TokenStream {
    let name = &m.name;
    quote!(#[cfg_attr(feature = "serde", serde(rename = #name))])
}

/// Left out of the serde form.
pub fn skip() -> TokenStream {
    quote!(#[cfg_attr(feature = "serde", serde(skip))])
}

#[cfg(test)]
mod tests {
    use super::Rule;

    const FIELDS: [&str; 7] = [
        "voice_connector_id",
        "r#type",
        "sse_kms_key_id",
        "e164_phone_number",
        "a",
        "x_amz_id_2",
        "ttl",
    ];

    /// A structure with `FIELDS` under serde's rule `$rule`.
    macro_rules! renamed {
        ($name:ident, $rule:literal) => {
            #[derive(serde::Serialize, Default)]
            #[serde(rename_all = $rule)]
            struct $name {
                voice_connector_id: u8,
                r#type: u8,
                sse_kms_key_id: u8,
                e164_phone_number: u8,
                a: u8,
                x_amz_id_2: u8,
                ttl: u8,
            }
        };
    }
    renamed!(Pascal, "PascalCase");
    renamed!(Camel, "camelCase");

    /// The keys serde writes, in field order.
    fn keys(value: serde_json::Value) -> Vec<String> {
        match value {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn the_rule_names_fields_as_serde_does() {
        let mut pascal = keys(serde_json::to_value(Pascal::default()).unwrap());
        let mut camel = keys(serde_json::to_value(Camel::default()).unwrap());
        let mut ours_pascal: Vec<String> = FIELDS.iter().map(|f| Rule::Pascal.apply(f)).collect();
        let mut ours_camel: Vec<String> = FIELDS.iter().map(|f| Rule::Camel.apply(f)).collect();
        for list in [&mut pascal, &mut camel, &mut ours_pascal, &mut ours_camel] {
            list.sort();
        }
        assert_eq!(ours_pascal, pascal);
        assert_eq!(ours_camel, camel);
        assert!(pascal.contains(&"VoiceConnectorId".to_string()));
        assert!(camel.contains(&"type".to_string()));
    }
}

//! Every Rust name the generator emits comes from here.
//!
//! heck alone splits `ARNs` into `ar_ns` and `IPv4` into `i_pv4`, so words are
//! found first by the rules below, then cased. A name keeps both its Rust
//! identifier and the wire name it came from (see [`crate::ir`]).

use heck::ToUpperCamelCase;

/// Splits a model identifier into words.
///
/// Rules, in order: non-alphanumeric characters separate words; a lowercase
/// letter followed by an uppercase one ends a word; a run of capitals ends
/// before its last capital when that one starts a lowercase word (`SMSMessage`
/// is `SMS` + `Message`); an acronym keeps a plural `s` (`ARNs`) and a
/// `v`+digits version suffix (`IPv4`); digits stay with the word before them
/// (`E164PhoneNumber` is `E164` + `Phone` + `Number`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    let flush = |current: &mut String, words: &mut Vec<String>| {
        if !current.is_empty() {
            words.push(std::mem::take(current));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            flush(&mut current, &mut words);
            i += 1;
            continue;
        }
        if c.is_ascii_uppercase() {
            // Collect the run of capitals.
            let start = i;
            while i < chars.len() && chars[i].is_ascii_uppercase() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let next = chars.get(i).copied();
            let lower_follows = next.is_some_and(|n| n.is_ascii_lowercase());
            if run.len() > 1 && lower_follows {
                if is_acronym_suffix(&chars[i..]) {
                    // `ARNs`, `IPv4`: the acronym and its suffix are one word.
                    flush(&mut current, &mut words);
                    current.push_str(&run);
                    let suffix_len = acronym_suffix_len(&chars[i..]);
                    current.extend(&chars[i..i + suffix_len]);
                    i += suffix_len;
                } else {
                    // `SMSMessage`: the last capital starts the next word.
                    flush(&mut current, &mut words);
                    current.push_str(&run[..run.len() - 1]);
                    flush(&mut current, &mut words);
                    current.push_str(&run[run.len() - 1..]);
                }
            } else {
                flush(&mut current, &mut words);
                current.push_str(&run);
            }
            continue;
        }
        // Lowercase or digit: continues the current word.
        current.push(c);
        i += 1;
    }
    flush(&mut current, &mut words);
    words
}

/// After a run of capitals: a lone `s` (then end, capital or digit) or
/// `v` + digits is part of the acronym.
fn is_acronym_suffix(rest: &[char]) -> bool {
    acronym_suffix_len(rest) > 0
}

fn acronym_suffix_len(rest: &[char]) -> usize {
    let ends_word = |c: Option<&char>| c.is_none_or(|c| !c.is_ascii_lowercase());
    if rest.first() == Some(&'s') && ends_word(rest.get(1)) {
        return 1;
    }
    if rest.first() == Some(&'v') && rest.get(1).is_some_and(|c| c.is_ascii_digit()) {
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if ends_word(rest.get(1 + digits)) {
            return 1 + digits;
        }
    }
    0
}

/// `snake_case`, as a string (not yet escaped).
pub fn snake(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// The cargo feature that compiles an operation: `get-proxy-session`.
pub fn feature(operation: &str) -> String {
    words(operation)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

/// A service's crate name by the convention every committed crate
/// follows: its `serviceId` in kebab case (`Lex Runtime V2` is
/// `lex-runtime-v2`). Also the registry keyword that finds it.
pub fn service_crate(service_id: &str) -> String {
    service_id
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The package a service crate is published as: the short names of AWS
/// services are largely taken on crates.io by unrelated crates (`s3`,
/// `sts`, `kms`, `lambda`), and one prefix keeps every name free and
/// every name guessable.
pub fn registry_package(crate_name: &str) -> String {
    format!("sdkgen-{crate_name}")
}

/// The feature that turns every operation on.
pub const ALL_OPERATIONS: &str = "all-operations";

/// The feature of crates whose endpoints may ask for SigV4a.
pub const SIGV4A: &str = "sigv4a";

/// The feature that compiles HTTP/2 in a crate whose model makes it
/// optional: on by default, and turned on by each operation that sends
/// events, which HTTP/1.1 cannot carry.
pub const HTTP2: &str = "http2";

/// Features a generated crate has besides one per operation; an operation
/// whose feature would be one of them is numbered.
pub const RESERVED_FEATURES: &[&str] = &["default", ALL_OPERATIONS, "serde"];

/// `UpperCamelCase`, as a string (not yet escaped).
pub fn camel(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            lower.to_upper_camel_case()
        })
        .collect()
}

/// Rust keywords that `r#` can escape.
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers, and names our generated code
/// uses for itself; both get a trailing `_`.
const UNESCAPABLE: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Prelude names the generated code uses unqualified; a shape with one of
/// these names gets a `Value` suffix so it cannot shadow them.
const RESERVED_TYPES: &[&str] = &[
    // Module names of `types/` (`types::error`, `types::builders`) and the
    // file name every directory has.
    "Error",
    "Builders",
    "Mod",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Clone",
    "Copy",
    "Default",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Into",
    "From",
    "AsRef",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Iterator",
    "ToString",
    "ToOwned",
];

/// Method names every generated struct or builder already has; a member
/// with one of these names gets a `_value` suffix.
const RESERVED_FIELDS: &[&str] = &[
    "build", "builder", "default", "meta", "clone", "fmt", "eq", "from", "into",
];

/// The methods of the binary operator traits (`std::ops::Add::add`, ...):
/// a builder's setter of that name (EC2's `LaunchPermissionModifications`
/// has `Add` and `Remove`) keeps it, as the official SDK does, and says
/// why clippy's `should_implement_trait` does not apply.
const OPERATOR_METHODS: &[&str] = &[
    "add", "sub", "mul", "div", "rem", "bitand", "bitor", "bitxor", "shl", "shr",
];

/// Whether a setter named `field` looks like an operator trait's method.
pub fn is_operator_method(field: &str) -> bool {
    OPERATOR_METHODS.contains(&field)
}

/// A field and accessor name for a model member name.
pub fn field(name: &str) -> String {
    let snake = snake(name);
    if RESERVED_FIELDS.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else {
        escape_value(snake)
    }
}

/// A type name (struct or enum) for a shape name.
pub fn type_name(name: &str) -> String {
    let camel = leading_digit_safe(camel(name));
    if RESERVED_TYPES.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// A module (file) name for a shape or operation name.
pub fn module(name: &str) -> String {
    escape_value(snake(name))
}

/// An enum variant for a string enum value such as `InProgress`, `SMS` or
/// `us-east-1`.
pub fn enum_variant(value: &str) -> String {
    let camel = leading_digit_safe(camel(value));
    if camel.is_empty() {
        return "EmptyValue".to_string();
    }
    if camel == "Unknown" || camel == "Self" {
        return format!("{camel}Value");
    }
    camel
}

/// The variant of a union member (`stringValue` is `StringValue`);
/// `Unknown` is the variant for members the model does not know.
pub fn union_variant(member: &str) -> String {
    let camel = leading_digit_safe(camel(member));
    match camel.as_str() {
        "" => "EmptyValue".to_string(),
        "Unknown" | "Self" => format!("{camel}Value"),
        _ => camel,
    }
}

/// The variant of an operation's error enum for an error type;
/// `Unhandled` is the variant for errors the model does not name.
pub fn error_variant(type_name: &str) -> String {
    if type_name == "Unhandled" {
        "UnhandledValue".to_string()
    } else {
        type_name.to_string()
    }
}

/// Makes names unique in model order: the first keeps its name, the next
/// ones that would repeat it get `2`, `3`, ... (after `_` for snake case
/// names), skipping any name already taken. So `INVALID_REQUEST` and
/// `invalid_request` become `InvalidRequest` and `InvalidRequest2`.
pub fn dedupe(names: Vec<String>) -> Vec<String> {
    use std::collections::BTreeSet;
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(names.len());
    let all: BTreeSet<String> = names.iter().cloned().collect();
    for name in names {
        if taken.insert(name.clone()) {
            out.push(name);
            continue;
        }
        let base = name.trim_start_matches("r#");
        let separator = if base.contains('-') {
            "-"
        } else if base.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        let unique = (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| !taken.contains(candidate) && !all.contains(candidate))
            .expect("some suffix is free");
        taken.insert(unique.clone());
        out.push(unique);
    }
    out
}

fn leading_digit_safe(name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

fn escape_value(name: String) -> String {
    let name = leading_digit_safe_snake(name);
    if UNESCAPABLE.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

fn leading_digit_safe_snake(name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{name}")
    } else {
        name
    }
}

/// The input and output types of an operation, named as the official SDK
/// names them (`GetProxySessionInput`), whatever the model calls its shapes.
pub fn operation_input(operation: &str) -> String {
    format!("{}Input", camel(operation))
}

/// See [`operation_input`].
pub fn operation_output(operation: &str) -> String {
    format!("{}Output", camel(operation))
}

/// See [`operation_input`].
pub fn operation_error(operation: &str) -> String {
    format!("{}Error", camel(operation))
}

/// `set_x` / `get_x` for a field `x` (a raw identifier loses its `r#`).
pub fn prefixed(prefix: &str, field: &str) -> String {
    format!("{prefix}_{}", field.trim_start_matches("r#"))
}

/// The builder of a structure: `ProxySessionBuilder`.
pub fn builder(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The fluent builder a client method returns: `GetProxySessionFluentBuilder`.
pub fn fluent_builder(operation: &str) -> String {
    format!("{}FluentBuilder", camel(operation))
}

/// The paginator of a list operation: `ListSipRulesPaginator`.
pub fn paginator(operation: &str) -> String {
    format!("{}Paginator", camel(operation))
}

/// The tuple of a paginator's several tokens: `ListRecordsTokens`.
pub fn paginator_tokens(operation: &str) -> String {
    format!("{}Tokens", camel(operation))
}

/// A member's key in an ec2 request's form: its `queryName` as it is,
/// else its `locationName`, else its name, with the first letter
/// capitalized (`ComplexListArg.1.Hi` for a member `hi`). botocore leaves a
/// bare member name as it is; the ec2 protocol's specification and its
/// conformance cases capitalize it, and every EC2 member name is
/// capitalized already.
pub fn ec2_form_name(
    member: &str,
    location_name: Option<&str>,
    query_name: Option<&str>,
) -> String {
    if let Some(name) = query_name {
        return name.to_string();
    }
    let name = location_name.unwrap_or(member);
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Rust identifier token for a name made here (handles `r#`).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_rules() {
        let cases: &[(&str, &[&str])] = &[
            ("VoiceConnectorId", &["Voice", "Connector", "Id"]),
            ("E164PhoneNumber", &["E164", "Phone", "Number"]),
            ("SMS", &["SMS"]),
            ("SMSMessage", &["SMS", "Message"]),
            ("ARNs", &["ARNs"]),
            ("PhoneNumberARNs", &["Phone", "Number", "ARNs"]),
            ("IPv4", &["IPv4"]),
            ("IPv4Address", &["IPv4", "Address"]),
            ("us-east-1", &["us", "east", "1"]),
            ("Sha256Hash", &["Sha256", "Hash"]),
            ("S3Bucket", &["S3", "Bucket"]),
            ("KMSKeyArn", &["KMS", "Key", "Arn"]),
            ("Ids", &["Ids"]),
            ("AWSAccountId", &["AWS", "Account", "Id"]),
            (
                "SipMediaApplicationId",
                &["Sip", "Media", "Application", "Id"],
            ),
            ("fooBar", &["foo", "Bar"]),
            ("", &[]),
        ];
        for (name, expected) in cases {
            assert_eq!(&words(name), expected, "words of {name:?}");
        }
    }

    #[test]
    fn names_in_each_case() {
        let cases: &[(&str, &str, &str)] = &[
            // model name, field/module, type
            ("E164PhoneNumber", "e164_phone_number", "E164PhoneNumber"),
            ("SMS", "sms", "Sms"),
            ("VoiceConnectorId", "voice_connector_id", "VoiceConnectorId"),
            ("ARNs", "arns", "Arns"),
            ("IPv4", "ipv4", "Ipv4"),
            ("Type", "r#type", "Type"),
            ("Self", "self_", "SelfValue"),
            ("Match", "r#match", "Match"),
            ("String", "string", "StringValue"),
            ("Result", "result", "ResultValue"),
            ("3Way", "v3_way", "V3Way"),
            ("InProgress", "in_progress", "InProgress"),
            (
                "ProxySessionStatus",
                "proxy_session_status",
                "ProxySessionStatus",
            ),
        ];
        for (name, snake, camel) in cases {
            assert_eq!(field(name), *snake, "field name of {name:?}");
            assert_eq!(type_name(name), *camel, "type name of {name:?}");
        }
    }

    #[test]
    fn enum_variants() {
        let cases = [
            ("Open", "Open"),
            ("InProgress", "InProgress"),
            ("SMS", "Sms"),
            ("us-east-1", "UsEast1"),
            ("1x", "V1x"),
            ("Unknown", "UnknownValue"),
            ("a.b", "AB"),
            ("", "EmptyValue"),
        ];
        for (value, variant) in cases {
            assert_eq!(enum_variant(value), variant, "variant of {value:?}");
        }
    }

    #[test]
    fn colliding_names_get_numbered_in_model_order() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            dedupe(names(&["InvalidRequest", "InvalidRequest", "Other"])),
            ["InvalidRequest", "InvalidRequest2", "Other"]
        );
        assert_eq!(
            dedupe(names(&["A", "A", "A2"])),
            ["A", "A3", "A2"],
            "a suffix never takes a name the model uses itself"
        );
        assert_eq!(dedupe(names(&["foo", "foo"])), ["foo", "foo_2"]);
        assert_eq!(dedupe(names(&["r#type", "r#type"])), ["r#type", "type_2"]);
        assert_eq!(dedupe(names(&["get-a", "get-a"])), ["get-a", "get-a-2"]);
        assert_eq!(feature("GetProxySession"), "get-proxy-session");
        assert_eq!(feature("ListSIPRules"), "list-sip-rules");
        assert_eq!(union_variant("unknown"), "UnknownValue");
        assert_eq!(union_variant("stringValue"), "StringValue");
        assert_eq!(error_variant("Unhandled"), "UnhandledValue");
    }

    #[test]
    fn identifiers_accept_raw_names() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("plain").to_string(), "plain");
    }

    #[test]
    fn operator_methods() {
        assert!(is_operator_method(&field("Add")));
        assert!(!is_operator_method(&field("Remove")));
        assert!(!is_operator_method(&field("Address")));
    }

    #[test]
    fn ec2_form_names() {
        let cases = [
            // member, locationName, queryName, key
            ("Foo", None, None, "Foo"),
            ("hi", None, None, "Hi"),
            ("Bar", Some("barLocationName"), None, "BarLocationName"),
            (
                "Yuck",
                Some("yuckLocationName"),
                Some("yuckQueryName"),
                "yuckQueryName",
            ),
            ("InstanceIds", Some("InstanceId"), None, "InstanceId"),
            ("DryRun", Some("dryRun"), None, "DryRun"),
            ("x", Some("élan"), None, "Élan"),
        ];
        for (member, location, query, key) in cases {
            assert_eq!(ec2_form_name(member, location, query), key, "{member}");
        }
    }

    #[test]
    fn operation_type_names() {
        assert_eq!(operation_input("GetProxySession"), "GetProxySessionInput");
        assert_eq!(operation_output("GetProxySession"), "GetProxySessionOutput");
        assert_eq!(operation_error("GetProxySession"), "GetProxySessionError");
    }
}

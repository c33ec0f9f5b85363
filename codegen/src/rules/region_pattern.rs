//! A partition's `regionRegex`, turned into the region prefixes it stands
//! for, so that the runtime matches regions without a regex engine.
//!
//! Every pattern of `partitions.json` has one shape: `^` prefix `\-\w+\-\d+$`,
//! where the prefix is literal text with at most a group of alternatives
//! (`^(us|eu|ap)\-\w+\-\d+$`, `^eusc\-(de)\-\w+\-\d+$`). A pattern of
//! another shape is refused, so that a new one is noticed, not mismatched.

/// What follows the prefix in every pattern: `-`, a word, `-`, a number.
const SUFFIX: &str = r"\-\w+\-\d+$";

/// The prefixes `pattern` allows (`["us", "eu", "ap"]`), or `None` when it
/// is not of the one shape.
pub fn region_prefixes(pattern: &str) -> Option<Vec<String>> {
    let middle = pattern.strip_prefix('^')?.strip_suffix(SUFFIX)?;
    let mut prefixes = vec![String::new()];
    let mut rest = middle;
    while !rest.is_empty() {
        let (choices, after): (Vec<&str>, &str) = if let Some(r) = rest.strip_prefix(r"\-") {
            (vec!["-"], r)
        } else if let Some(r) = rest.strip_prefix('(') {
            let (group, after) = r.split_once(')')?;
            let choices: Vec<&str> = group.split('|').collect();
            if choices.iter().any(|c| !is_word(c)) {
                return None;
            }
            (choices, after)
        } else {
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            (vec![&rest[..end]], &rest[end..])
        };
        prefixes = prefixes
            .iter()
            .flat_map(|p| choices.iter().map(move |c| format!("{p}{c}")))
            .collect();
        rest = after;
    }
    (!middle.is_empty()).then_some(prefixes)
}

fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::region_prefixes;

    #[test]
    fn every_shape_of_partitions_json() {
        let cases: [(&str, &[&str]); 4] = [
            (r"^(us|eu|ap)\-\w+\-\d+$", &["us", "eu", "ap"]),
            (r"^cn\-\w+\-\d+$", &["cn"]),
            (r"^eusc\-(de)\-\w+\-\d+$", &["eusc-de"]),
            (r"^us\-isob\-\w+\-\d+$", &["us-isob"]),
        ];
        for (pattern, prefixes) in cases {
            let expected: Vec<String> = prefixes.iter().map(|p| p.to_string()).collect();
            assert_eq!(region_prefixes(pattern), Some(expected), "{pattern}");
        }
    }

    #[test]
    fn other_shapes_are_refused() {
        for pattern in [
            r"^us\-\w+$",
            r"(us|eu)\-\w+\-\d+$",
            r"^\-\w+\-\d+$",
            r"^u.s\-\w+\-\d+$",
            r"^(us|)\-\w+\-\d+$",
            r"^(us\-\w+\-\d+$",
        ] {
            assert_eq!(region_prefixes(pattern), None, "{pattern}");
        }
    }
}

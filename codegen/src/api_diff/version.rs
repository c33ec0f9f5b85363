//! The crate's next version under Cargo's semver rules: below 1.0 the
//! minor number is the one that breaks, the patch the one that adds.

use crate::error::Error;

/// What a release must say of itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Incompatible: 1.2.3 → 2.0.0, 0.2.3 → 0.3.0, 0.0.3 → 0.0.4.
    Breaking,
    /// Compatible, with something new: 1.2.3 → 1.3.0, 0.2.3 → 0.2.4.
    Additive,
    /// Compatible, nothing new: 1.2.3 → 1.2.4.
    Patch,
}

/// `version` bumped. A version Cargo would not read as `MAJOR.MINOR.PATCH`
/// (or one with a pre-release or build part, which a model update has no
/// rule for) is an error naming it.
pub fn bump(version: &str, bump: Bump) -> Result<String, Error> {
    let parts: Vec<&str> = version.split('.').collect();
    let numbers: Option<Vec<u64>> = match parts.as_slice() {
        [_, _, _] => parts
            .iter()
            .map(|p| {
                let plain = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
                // Cargo refuses leading zeros.
                let canonical = *p == "0" || !p.starts_with('0');
                if plain && canonical {
                    p.parse().ok()
                } else {
                    None
                }
            })
            .collect(),
        _ => None,
    };
    let Some([major, minor, patch]) = numbers.as_deref().map(|n| [n[0], n[1], n[2]]) else {
        return Err(Error::Invalid(format!(
            "version `{version}` is not MAJOR.MINOR.PATCH"
        )));
    };
    let next = match (major, minor, bump) {
        (0, 0, _) => (0, 0, patch + 1),
        (0, _, Bump::Breaking) => (0, minor + 1, 0),
        (0, _, _) => (0, minor, patch + 1),
        (_, _, Bump::Breaking) => (major + 1, 0, 0),
        (_, _, Bump::Additive) => (major, minor + 1, 0),
        (_, _, Bump::Patch) => (major, minor, patch + 1),
    };
    Ok(format!("{}.{}.{}", next.0, next.1, next.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_cargo_semver() {
        let table = [
            ("0.1.0", Bump::Breaking, "0.2.0"),
            ("0.1.0", Bump::Additive, "0.1.1"),
            ("0.1.0", Bump::Patch, "0.1.1"),
            ("0.3.7", Bump::Breaking, "0.4.0"),
            ("0.0.3", Bump::Breaking, "0.0.4"),
            ("0.0.3", Bump::Additive, "0.0.4"),
            ("1.2.3", Bump::Breaking, "2.0.0"),
            ("1.2.3", Bump::Additive, "1.3.0"),
            ("1.2.3", Bump::Patch, "1.2.4"),
        ];
        for (from, how, to) in table {
            assert_eq!(bump(from, how).unwrap(), to, "{from} {how:?}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_bump() {
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "1.2.x",
            "01.2.3",
            "1.2.3-beta",
            "1.2.3+b",
        ] {
            let err = bump(bad, Bump::Patch).unwrap_err().to_string();
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
    }
}

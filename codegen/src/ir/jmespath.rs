//! The part of JMESPath that `paginators-1.json` uses: botocore compiles
//! each token, flag and result key with `jmespath.compile`, and botocore's
//! models write members (`NextToken`), paths (`DistributionList.IsTruncated`),
//! indexes (`Contents[-1].Key`) and choices (`NextMarker || Contents[-1].Key`),
//! nothing more. Anything else is refused with the expression in the
//! message, never guessed at.

/// One step of a path, before it is resolved against shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A member of a structure, by model name.
    Member(String),
    /// A list element; negative from the end.
    Index(i64),
}

/// The choices of an expression (`a || b`), each a path; one for most.
pub fn parse(text: &str) -> Result<Vec<Vec<Step>>, String> {
    text.split("||")
        .map(|choice| path(choice.trim(), text))
        .collect()
}

/// `Name`, `Name.Name`, `Name[-1].Name`, ... ; `whole` is for messages.
fn path(text: &str, whole: &str) -> Result<Vec<Step>, String> {
    let refuse = || {
        format!("`{whole}` is JMESPath beyond members, `.`, `[index]` and `||`, which botocore's models do not use")
    };
    let mut steps = Vec::new();
    let mut rest = text;
    loop {
        // A member: an identifier, or a quoted one (`"a-b"`).
        let (name, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').ok_or_else(refuse)?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(refuse());
        }
        steps.push(Step::Member(name.to_string()));
        rest = after;
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').ok_or_else(refuse)?;
            let index = inner[..end].trim().parse::<i64>().map_err(|_| refuse())?;
            steps.push(Step::Index(index));
            rest = &inner[end + 1..];
        }
        match rest.strip_prefix('.') {
            Some(next) => rest = next,
            None if rest.is_empty() => return Ok(steps),
            None => return Err(refuse()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::{Index, Member};

    fn m(name: &str) -> Step {
        Member(name.to_string())
    }

    #[test]
    fn every_form_botocore_uses() {
        let table: &[(&str, Vec<Vec<Step>>)] = &[
            ("NextToken", vec![vec![m("NextToken")]]),
            (
                "DistributionList.NextMarker",
                vec![vec![m("DistributionList"), m("NextMarker")]],
            ),
            (
                "Jobs[-1].JobId",
                vec![vec![m("Jobs"), Index(-1), m("JobId")]],
            ),
            (
                "StreamDescription.Shards[-1].ShardId",
                vec![vec![
                    m("StreamDescription"),
                    m("Shards"),
                    Index(-1),
                    m("ShardId"),
                ]],
            ),
            (
                "NextMarker || Contents[-1].Key",
                vec![
                    vec![m("NextMarker")],
                    vec![m("Contents"), Index(-1), m("Key")],
                ],
            ),
            ("Grid[0][2]", vec![vec![m("Grid"), Index(0), Index(2)]]),
            ("\"odd-name\".Next", vec![vec![m("odd-name"), m("Next")]]),
        ];
        for (text, expected) in table {
            assert_eq!(&parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn more_than_that_is_refused_by_name() {
        for text in [
            "",
            "a.",
            ".a",
            "a[*].b",
            "a[1:2]",
            "length(a)",
            "a && b",
            "a | b",
            "a[?b]",
            "1a",
            "a ||",
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(&format!("`{text}`")), "{text}: {err}");
        }
    }
}

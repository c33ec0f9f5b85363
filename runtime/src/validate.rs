//! Input validation as botocore does it before any request: required
//! members (in the builders), and the `min` of string lengths, list sizes
//! and numbers. `max` and patterns are left to the service, which may relax
//! them; botocore does not enforce them either.

use crate::error::BuildError;

/// A string shorter than the model's `min` (counted in characters, as
/// botocore counts them).
pub fn min_length(member: &'static str, value: &str, min: u64) -> Result<(), BuildError> {
    let length = value.chars().count() as u64;
    if length < min {
        return Err(BuildError::invalid(
            member,
            format!("length {length} is less than the minimum length {min}"),
        ));
    }
    Ok(())
}

/// A list or map with fewer entries than the model's `min`.
pub fn min_items(member: &'static str, count: usize, min: u64) -> Result<(), BuildError> {
    if (count as u64) < min {
        return Err(BuildError::invalid(
            member,
            format!("{count} entries are fewer than the minimum {min}"),
        ));
    }
    Ok(())
}

/// A number below the model's `min`.
pub fn min_value(member: &'static str, value: f64, min: f64) -> Result<(), BuildError> {
    if value < min {
        return Err(BuildError::invalid(
            member,
            format!("{value} is less than the minimum {min}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_member_and_the_rule() {
        assert!(min_length("Name", "ab", 2).is_ok());
        assert_eq!(
            min_length("Name", "", 1).unwrap_err().to_string(),
            "Name is invalid: length 0 is less than the minimum length 1"
        );
        assert!(min_length("Name", "é", 1).is_ok(), "characters, not bytes");
        assert_eq!(
            min_items("Ids", 0, 1).unwrap_err().to_string(),
            "Ids is invalid: 0 entries are fewer than the minimum 1"
        );
        assert_eq!(
            min_value("Minutes", 0.0, 1.0).unwrap_err().to_string(),
            "Minutes is invalid: 0 is less than the minimum 1"
        );
        assert!(min_value("Minutes", 1.0, 1.0).is_ok());
    }
}

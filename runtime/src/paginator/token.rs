//! Next-page tokens: what a page gives back and the next request sends.
//!
//! Most services page with one string, but not all: DynamoDB's token is a
//! map of attribute values (`LastEvaluatedKey`), S3's `ListParts` an
//! integer, Route 53's `ListResourceRecordSets` three members at once (a
//! tuple of them here). A token only needs to be cloned (into the next
//! request), compared (to catch a service that repeats one) and shown (in
//! that error); [`PageToken`] adds botocore's rule for a token that is
//! there but empty.

use crate::{Blob, DateTime};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash};

/// A value that asks for the next page.
///
/// botocore tests a token with Python's truth test (`if next_token:`), so
/// an empty string, map or list, a zero and `false` mean "no next page",
/// just as an absent member does; [`is_absent`](Self::is_absent) is that
/// test. Every generated string enum is a token too (through the
/// runtime's enum macro), so that Route 53's record type can be one.
pub trait PageToken: Clone + PartialEq + fmt::Debug + Send + 'static {
    /// Whether this value stands for no token at all.
    fn is_absent(&self) -> bool;

    /// The token as the next request sends it. For several tokens, each
    /// part that is absent becomes `None`, as botocore leaves such an
    /// input member out of the next request.
    fn normalized(self) -> Self {
        self
    }
}

impl PageToken for String {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl PageToken for bool {
    fn is_absent(&self) -> bool {
        !*self
    }
}

macro_rules! numeric_tokens {
    ($($ty:ty),*) => {$(
        impl PageToken for $ty {
            fn is_absent(&self) -> bool {
                *self == (0 as $ty)
            }
        }
    )*};
}
numeric_tokens!(i32, i64, f32, f64);

impl PageToken for Blob {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

/// A timestamp is never empty.
impl PageToken for DateTime {
    fn is_absent(&self) -> bool {
        false
    }
}

impl<T> PageToken for Vec<T>
where
    T: Clone + PartialEq + fmt::Debug + Send + 'static,
{
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

/// DynamoDB's `LastEvaluatedKey`: the values need no more than to be
/// cloned, compared and shown.
impl<K, V, S> PageToken for HashMap<K, V, S>
where
    K: Clone + Eq + Hash + fmt::Debug + Send + 'static,
    V: Clone + PartialEq + fmt::Debug + Send + 'static,
    S: BuildHasher + Clone + Send + 'static,
{
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> PageToken for BTreeMap<K, V>
where
    K: Clone + Ord + fmt::Debug + Send + 'static,
    V: Clone + PartialEq + fmt::Debug + Send + 'static,
{
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

/// Several tokens at once (`input_token` and `output_token` as lists):
/// absent when every part is, and each absent part left out of the next
/// request. Up to six (botocore's models have three at most); the
/// generator refuses a paginator with more.
macro_rules! token_tuples {
    ($(($($part:ident $index:tt),+))*) => {$(
        impl<$($part: PageToken),+> PageToken for ($(Option<$part>,)+) {
            fn is_absent(&self) -> bool {
                $(self.$index.as_ref().is_none_or(PageToken::is_absent))&&+
            }

            fn normalized(self) -> Self {
                ($(self.$index.filter(|part| !part.is_absent()),)+)
            }
        }
    )*};
}
token_tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, F 4)
    (A 0, B 1, C 2, D 3, F 4, G 5)
}

/// The first candidate that is a token, cloned: botocore's `a || b`
/// (S3's `ListObjects` takes `NextMarker`, else the key of the last
/// object of the page).
pub fn first_present<T: PageToken, const N: usize>(candidates: [Option<&T>; N]) -> Option<T> {
    candidates
        .into_iter()
        .flatten()
        .find(|token| !token.is_absent())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_no_token_as_in_botocore() {
        assert!(String::new().is_absent());
        assert!(!"t".to_string().is_absent());
        assert!(0i32.is_absent() && 0i64.is_absent() && !7i32.is_absent());
        assert!(HashMap::<String, u8>::new().is_absent());
        assert!(!HashMap::from([("k".to_string(), 1u8)]).is_absent());
        assert!(Vec::<u8>::new().is_absent());
        assert!(!DateTime::from_secs(0).is_absent());
    }

    #[test]
    fn several_tokens_are_absent_only_when_every_part_is() {
        let none: (Option<String>, Option<i32>) = (None, Some(0));
        assert!(none.is_absent());
        let some = (Some("name".to_string()), Some(0), Some(String::new()));
        assert!(!some.is_absent());
        assert_eq!(some.normalized(), (Some("name".to_string()), None, None));
    }

    #[test]
    fn the_first_present_candidate_wins() {
        let empty = String::new();
        let marker = "m".to_string();
        let last = "k".to_string();
        assert_eq!(
            first_present([Some(&marker), Some(&last)]),
            Some(marker.clone())
        );
        assert_eq!(
            first_present([Some(&empty), Some(&last)]),
            Some(last.clone())
        );
        assert_eq!(first_present([None, Some(&last)]), Some(last));
        assert_eq!(first_present::<String, 2>([None, Some(&empty)]), None);
    }
}

//! Support for forward-compatible string enums.
//!
//! The value that holds an unknown enum value is defined by each generated
//! crate (see [`crate::sealed_types`]), so that only that crate makes one.

/// The traits every generated string enum has, from its `as_str` and its
/// `From<&str>`: `FromStr`, `AsRef<str>`, `Display`, the wire-text traits of
/// the protocols, `PageToken`, and (with the generated crate's `serde`
/// feature) serde as the wire string. Written once here so that each generated enum only says
/// what is particular to it (its values).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum_traits {
    ($name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok($name::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // A string enum can be a next-page token (Route 53's record type);
        // empty, it is none, as an empty string is.
        impl $crate::paginator::PageToken for $name {
            fn is_absent(&self) -> bool {
                self.as_str().is_empty()
            }
        }

        impl $crate::protocol::WireText for $name {
            fn wire_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
            const QUOTED_IN_HEADER_LISTS: bool = true;
        }

        impl $crate::protocol::FromWireText for $name {
            fn from_wire_text(text: &str) -> ::std::result::Result<Self, $crate::error::WireError> {
                ::std::result::Result::Ok($name::from(text))
            }
        }

        #[cfg(feature = "serde")]
        impl $crate::codegen::serde::Serialize for $name {
            fn serialize<S: $crate::codegen::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> $crate::codegen::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::string::String as $crate::codegen::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                ::std::result::Result::Ok($name::from(value.as_str()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::error::test_types::UnknownValue;
    use std::str::FromStr;

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Color {
        Red,
        Unknown(UnknownValue),
    }

    impl Color {
        fn as_str(&self) -> &str {
            match self {
                Color::Red => "RED",
                Color::Unknown(v) => v.as_str(),
            }
        }
    }

    impl From<&str> for Color {
        fn from(value: &str) -> Self {
            match value {
                "RED" => Color::Red,
                other => Color::Unknown(UnknownValue::new(other)),
            }
        }
    }

    crate::string_enum_traits!(Color);

    #[test]
    fn the_traits_use_the_wire_value() {
        assert_eq!(Color::from_str("RED"), Ok(Color::Red));
        assert_eq!(Color::from_str("teal").unwrap().as_ref(), "teal");
        assert_eq!(Color::Red.to_string(), "RED");
        use crate::protocol::{FromWireText, WireText};
        assert_eq!(Color::Red.wire_text(), "RED");
        assert_eq!(Color::from_wire_text("teal").unwrap().as_str(), "teal");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_uses_the_wire_value() {
        assert_eq!(serde_json::to_string(&Color::Red).unwrap(), "\"RED\"");
        let parsed: Vec<Color> = serde_json::from_str(r#"["RED","teal"]"#).unwrap();
        assert_eq!(parsed[1].as_str(), "teal");
        assert!(serde_json::from_str::<Color>("1").is_err());
    }
}

//! The two types every generated crate defines for itself so that users
//! cannot make or take apart values that only the service may produce: an
//! error the model does not name, and an enum value it does not know.
//!
//! They live in the generated crate, not here, because a constructor that
//! another crate can call is a constructor users can call too.

/// Defines `Unhandled` and `UnknownValue` in the module it is expanded in,
/// with constructors private to the generated crate. Expanded in a module
/// the crate does not export, the types cannot be named by users either.
#[doc(hidden)]
#[macro_export]
macro_rules! sealed_types {
    () => {
        /// An error the operation's model does not name, with everything
        /// the service said about it (see
        /// [`ProvideErrorMetadata`]($crate::error::ProvideErrorMetadata)).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Unhandled {
            meta: $crate::ErrorMetadata,
        }

        impl Unhandled {
            #[allow(dead_code)]
            pub(crate) fn new(meta: $crate::ErrorMetadata) -> Self {
                Unhandled { meta }
            }
        }

        $crate::error_shape_traits!(Unhandled);

        /// A value of a string enum that this version of the model does not
        /// know, exactly as the service sent it.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct UnknownValue(::std::string::String);

        impl UnknownValue {
            #[allow(dead_code)]
            pub(crate) fn new(value: &str) -> Self {
                UnknownValue(value.to_owned())
            }

            /// The value exactly as the service sent it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for UnknownValue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

//! JSON as the JSON protocols carry it.
//!
//! A response body is parsed once into a [`Json`] tree that borrows its
//! strings from the body where it can; generated deserializers walk that
//! tree with the readers in `read`, and error metadata comes from the same
//! tree. Request bodies are written with a [`JsonWriter`]. serde_json does
//! the parsing and string escaping underneath; public types carry no serde
//! attributes for the wire.

mod read;
mod tree;
mod write;

pub use read::*;
pub use tree::{body, parse, Json};
pub use write::{special_float, JsonWriter};

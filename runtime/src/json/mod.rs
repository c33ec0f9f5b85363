//! JSON as the JSON protocols carry it.
//!
//! A response body is read once, by a pull [`Reader`] that generated
//! readers walk straight into the typed output (the readers in `read`),
//! with no tree in between; strings without escapes are borrowed from the
//! body. Request bodies are written with a [`JsonWriter`]. Public types
//! carry no serde attributes for the wire, and the runtime parses JSON
//! without serde.

mod read;
mod reader;
mod write;

pub use read::*;
pub use reader::{Checkpoint, Kind, Reader};
pub use write::{special_float, JsonWriter};

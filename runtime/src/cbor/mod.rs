//! CBOR as the smithy-rpc-v2-cbor protocol carries it.
//!
//! The items are minicbor's; a pull [`Reader`] walks them straight into
//! the typed output, as the JSON one does, with the same reader functions
//! (`read`), so that the generated code of the two protocols has one form.
//! Maps and arrays of definite and indefinite length read alike. Request
//! bodies are written with a [`CborWriter`], in indefinite-length maps and
//! arrays (as botocore writes them), which needs no count in advance.

mod read;
mod reader;
mod write;

pub use read::*;
pub use reader::{Checkpoint, Kind, Reader};
pub use write::CborWriter;

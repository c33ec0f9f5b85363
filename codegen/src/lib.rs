pub mod docs;
pub mod model;
pub mod naming;

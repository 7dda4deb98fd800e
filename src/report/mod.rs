//! Renderers: results in, text out. They format and never compute; every
//! number they show comes from [`crate::stats::results::Results`] or the
//! model's own arithmetic.

pub mod calibrate;
pub mod check;
pub mod csv;
pub mod format;
pub mod json;
pub mod solve;
pub mod svg;
pub mod sweep;
pub mod table;

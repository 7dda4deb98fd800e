//! Renderers: results in, text out. They format and never compute; every
//! number they show comes from [`crate::stats::results::Results`] or the
//! model's own arithmetic.

pub mod backtest;
pub mod calibrate;
pub mod charts;
pub mod check;
pub mod compare;
pub mod csv;
pub mod describe;
pub mod docx;
pub mod format;
pub mod html;
pub mod json;
pub mod markdown;
pub mod solve;
pub mod study;
pub mod svg;
pub mod sweep;
pub mod table;
pub mod words;
pub mod xlsx;

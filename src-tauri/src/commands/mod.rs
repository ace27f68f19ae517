//! The IPC commands, one room per area. Each is a few lines over
//! `enlace_core::App`: typed arguments in, a typed value or an
//! [`crate::IpcError`] out.

pub(crate) mod cases;
pub(crate) mod exports;
pub(crate) mod legal;
pub(crate) mod officials;
pub(crate) mod plan;
pub(crate) mod start;
pub(crate) mod stats;
pub(crate) mod sync;

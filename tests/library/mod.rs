//! Tests of the library's API, without the binaries.

mod eval;

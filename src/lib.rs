//! chaff

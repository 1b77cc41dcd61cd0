mod batch;
mod hard_cases;
mod label;
mod model;
mod properties;
mod train;

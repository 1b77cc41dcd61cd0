mod batch;
mod hard_cases;
mod hostile_input;
mod label;
mod model;
mod properties;
mod train;

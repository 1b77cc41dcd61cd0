mod batch;
mod hard_cases;
mod hostile_input;
mod hostile_output;
mod label;
mod model;
mod properties;
mod train;

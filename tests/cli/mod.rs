mod hard_cases;
mod label;
mod model;
mod train;

mod label;
mod model;
mod train;

mod common;
mod generator;
mod robustness;
mod validation;

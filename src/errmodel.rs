//! The probabilistic error model (DESIGN.md, "Error model").

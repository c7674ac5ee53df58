//! The one integration-test binary: every integration test module is declared here.

mod spans;

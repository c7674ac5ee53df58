//! The one integration-test binary: every integration test module is declared here.

mod archive;
mod attribution;
mod clean_examples;
mod datelines;
mod events;
mod geo;
mod golden;
mod html_examples;
mod languages;
mod ner;
mod properties;
mod robust;
mod seed;
mod serve;
mod spans;
mod time;

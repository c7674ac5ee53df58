//! The PLV classifier.

use std::path::Path;

pub fn eval_plv(_dir: &Path) -> Result<String, String> {
    Ok(String::from("PLV: not yet\n"))
}

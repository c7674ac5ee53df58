//! 5-fold cross-validation of the PLV classifier on PLV_train (folds by sentence), for choosing
//! features and settings: `cargo run --release -p dossier-events --example plv_cv [EPOCHS [SYNTHETIC_WEIGHT [LOGISTIC L2 RATE [MEMBERS]]]]`.
//! PLV_test is never read.

fn main() {
    let data = std::path::Path::new("../shared/data/events");
    let epochs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(12);
    let synthetic_weight = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0.0);
    let arg = |n: usize, d: f32| {
        std::env::args()
            .nth(n)
            .and_then(|a| a.parse().ok())
            .unwrap_or(d)
    };
    let settings = dossier_events::learned::Settings {
        epochs,
        synthetic_weight,
        logistic: arg(3, 0.0) > 0.0,
        l2: arg(4, 1e-4),
        rate: arg(5, 0.5),
        members: arg(6, 1.0) as usize,
        ..Default::default()
    };
    match dossier_events::learned::cross_validate(data, settings) {
        Ok((acc, f1)) => println!("CV root accuracy {acc:.3}, macro F1 {f1:.3} ({settings:?})"),
        Err(e) => eprintln!("{e}"),
    }
}

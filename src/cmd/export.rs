//! `--export-paths N`: the first N simulated paths, every indicator and
//! year, so that anyone can audit the numbers behind a summary. The same
//! draws as the run: `simulate::for_each_path` replays them.

use crate::model::Model;
use crate::simulate::for_each_path;

pub fn paths_csv(model: &Model, seed: u64, n: u64) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["path".to_string(), "year".to_string()];
    header.extend(model.indicators.iter().map(|i| i.id.clone()));
    let _ = w.write_record(&header);
    let n_ind = model.indicators.len();
    for_each_path(model, seed, n, |path, values| {
        for (t, year) in model.years().enumerate() {
            let mut row = vec![path.to_string(), year.to_string()];
            row.extend(values[t * n_ind..(t + 1) * n_ind].iter().map(|v| {
                if v.is_finite() {
                    v.to_string()
                } else {
                    String::new()
                }
            }));
            let _ = w.write_record(&row);
        }
    });
    w.into_inner().unwrap_or_default()
}

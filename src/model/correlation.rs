//! Correlation matrices for the Gaussian copula: the positive-semi-definite
//! check, Higham's nearest correlation matrix (used by `repair = true`) and a
//! Cholesky factor that tolerates singular (semi-definite) matrices.
//!
//! Matrices are small (one row per correlated indicator) and stored row-major.

/// Eigenvalues below this are treated as zero, not negative.
const PSD_TOLERANCE: f64 = 1e-10;

#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub n: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn identity(n: usize) -> Matrix {
        let mut data = vec![0.0; n * n];
        for i in 0..n {
            data[i * n + i] = 1.0;
        }
        Matrix { n, data }
    }

    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    #[inline]
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.n + j] = v;
    }

    /// Eigenvalues and eigenvectors (columns of the returned matrix) of a
    /// symmetric matrix, by cyclic Jacobi rotations.
    pub fn symmetric_eigen(&self) -> (Vec<f64>, Matrix) {
        let n = self.n;
        let mut a = self.clone();
        let mut v = Matrix::identity(n);
        for _sweep in 0..100 {
            let off: f64 = (0..n)
                .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
                .map(|(i, j)| a.get(i, j).powi(2))
                .sum();
            if off < 1e-30 {
                break;
            }
            for p in 0..n {
                for q in p + 1..n {
                    let apq = a.get(p, q);
                    if apq.abs() < 1e-300 {
                        continue;
                    }
                    let theta = (a.get(q, q) - a.get(p, p)) / (2.0 * apq);
                    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                    let t = if theta == 0.0 { 1.0 } else { t };
                    let c = 1.0 / (t * t + 1.0).sqrt();
                    let s = t * c;
                    for k in 0..n {
                        let akp = a.get(k, p);
                        let akq = a.get(k, q);
                        a.set(k, p, c * akp - s * akq);
                        a.set(k, q, s * akp + c * akq);
                    }
                    for k in 0..n {
                        let apk = a.get(p, k);
                        let aqk = a.get(q, k);
                        a.set(p, k, c * apk - s * aqk);
                        a.set(q, k, s * apk + c * aqk);
                    }
                    for k in 0..n {
                        let vkp = v.get(k, p);
                        let vkq = v.get(k, q);
                        v.set(k, p, c * vkp - s * vkq);
                        v.set(k, q, s * vkp + c * vkq);
                    }
                }
            }
        }
        ((0..n).map(|i| a.get(i, i)).collect(), v)
    }

    pub fn min_eigenvalue(&self) -> f64 {
        self.symmetric_eigen()
            .0
            .into_iter()
            .fold(f64::INFINITY, f64::min)
    }

    pub fn is_psd(&self) -> bool {
        self.n == 0 || self.min_eigenvalue() >= -PSD_TOLERANCE
    }

    /// Indices that carry weight in the eigenvectors of negative eigenvalues:
    /// the indicators whose pairs make the matrix invalid.
    pub fn indices_in_negative_directions(&self) -> Vec<usize> {
        let (values, vectors) = self.symmetric_eigen();
        let mut involved = vec![false; self.n];
        for (k, &lambda) in values.iter().enumerate() {
            if lambda < -PSD_TOLERANCE {
                for (i, flag) in involved.iter_mut().enumerate() {
                    if vectors.get(i, k).abs() > 0.1 {
                        *flag = true;
                    }
                }
            }
        }
        (0..self.n).filter(|&i| involved[i]).collect()
    }

    /// The nearest correlation matrix in the Frobenius norm (Higham 2002:
    /// alternating projections with Dykstra's correction).
    pub fn nearest_correlation(&self) -> Matrix {
        let n = self.n;
        let mut y = self.clone();
        let mut ds = Matrix {
            n,
            data: vec![0.0; n * n],
        };
        for _ in 0..10_000 {
            let r = Matrix {
                n,
                data: y.data.iter().zip(&ds.data).map(|(a, b)| a - b).collect(),
            };
            let x = r.project_psd();
            ds.data = x.data.iter().zip(&r.data).map(|(a, b)| a - b).collect();
            let mut next = x.clone();
            for i in 0..n {
                next.set(i, i, 1.0);
            }
            let change: f64 = next
                .data
                .iter()
                .zip(&y.data)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>()
                .sqrt();
            y = next;
            if change < 1e-12 {
                break;
            }
        }
        // Alternating projections converge from outside: nudge the last bit of
        // negativity away so the result passes the check it was made for.
        let shrink = 1.0 - 1e-9;
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let v = y.get(i, j) * shrink;
                    y.set(i, j, v);
                }
            }
        }
        y
    }

    fn project_psd(&self) -> Matrix {
        let n = self.n;
        let (values, vectors) = self.symmetric_eigen();
        let mut out = Matrix {
            n,
            data: vec![0.0; n * n],
        };
        for (k, &lambda) in values.iter().enumerate() {
            if lambda <= 0.0 {
                continue;
            }
            for i in 0..n {
                for j in 0..n {
                    let v = out.get(i, j) + lambda * vectors.get(i, k) * vectors.get(j, k);
                    out.set(i, j, v);
                }
            }
        }
        out
    }

    /// Lower-triangular `L` with `L·Lᵀ = self`, for a positive semi-definite
    /// matrix; columns of a singular direction are left at zero.
    pub fn cholesky(&self) -> Matrix {
        let n = self.n;
        let mut l = Matrix {
            n,
            data: vec![0.0; n * n],
        };
        for j in 0..n {
            let mut d = self.get(j, j);
            for k in 0..j {
                d -= l.get(j, k).powi(2);
            }
            let djj = if d > 1e-12 { d.sqrt() } else { 0.0 };
            l.set(j, j, djj);
            for i in j + 1..n {
                let mut s = self.get(i, j);
                for k in 0..j {
                    s -= l.get(i, k) * l.get(j, k);
                }
                l.set(i, j, if djj > 0.0 { s / djj } else { 0.0 });
            }
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(n: usize, rows: &[f64]) -> Matrix {
        Matrix {
            n,
            data: rows.to_vec(),
        }
    }

    #[test]
    fn cholesky_reproduces_the_matrix() {
        let m = matrix(3, &[1.0, 0.5, 0.2, 0.5, 1.0, 0.3, 0.2, 0.3, 1.0]);
        let l = m.cholesky();
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| l.get(i, k) * l.get(j, k)).sum();
                assert!((v - m.get(i, j)).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn invalid_matrix_is_detected_and_repaired() {
        // a~b and a~c strongly positive but b~c strongly negative: impossible.
        let m = matrix(3, &[1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0]);
        assert!(!m.is_psd());
        assert_eq!(m.indices_in_negative_directions(), vec![0, 1, 2]);
        let fixed = m.nearest_correlation();
        assert!(fixed.is_psd(), "min eigenvalue {}", fixed.min_eigenvalue());
        for i in 0..3 {
            assert!((fixed.get(i, i) - 1.0).abs() < 1e-12);
        }
        // Symmetric problem, symmetric answer; and still far from the input.
        assert!((fixed.get(0, 1) - fixed.get(0, 2)).abs() < 1e-6);
        assert!(fixed.get(1, 2) > -0.9);
    }

    #[test]
    fn singular_matrix_is_accepted_and_factored() {
        let m = matrix(2, &[1.0, 1.0, 1.0, 1.0]);
        assert!(m.is_psd());
        let l = m.cholesky();
        assert_eq!(l.get(1, 0), 1.0);
        assert_eq!(l.get(1, 1), 0.0);
    }
}

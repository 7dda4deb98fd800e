//! Correlation matrices for the Gaussian copula: the positive-semi-definite
//! check, Higham's nearest correlation matrix (used by `repair = true`) and a
//! Cholesky factor that tolerates singular (semi-definite) matrices.
//!
//! Matrices are small (one row per correlated indicator) and stored row-major.

/// Eigenvalues below this are treated as zero, not negative.
const PSD_TOLERANCE: f64 = 1e-10;

/// Higham's iteration stops when a step moves the matrix by less than this
/// fraction of its size (Frobenius norms), or when its steps (O(n³) each)
/// have used up [`NEAREST_WORK`] (n³ units; at most 200 steps, at least 20):
/// at hundreds of indicators convergence slows to a crawl in digits that no
/// correlation needs, and the end is made exactly valid anyway.
const NEAREST_TOLERANCE: f64 = 1e-9;
const NEAREST_WORK: f64 = 2.5e9;

/// The nearest positive semi-definite matrix: negative eigenvalues set to zero.
fn project_psd(m: &nalgebra::DMatrix<f64>) -> nalgebra::DMatrix<f64> {
    let eigen = nalgebra::SymmetricEigen::new(m.clone());
    let mut v = eigen.eigenvectors;
    for (k, &lambda) in eigen.eigenvalues.iter().enumerate() {
        v.column_mut(k).scale_mut(lambda.max(0.0).sqrt());
    }
    let p = &v * v.transpose();
    (&p + p.transpose()) * 0.5
}

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

    fn to_nalgebra(&self) -> nalgebra::DMatrix<f64> {
        nalgebra::DMatrix::from_row_slice(self.n, self.n, &self.data)
    }

    /// Eigenvalues and eigenvectors (columns of the returned matrix) of a
    /// symmetric matrix.
    pub fn symmetric_eigen(&self) -> (Vec<f64>, Matrix) {
        let n = self.n;
        let eigen = nalgebra::SymmetricEigen::new(self.to_nalgebra());
        let mut v = Matrix::identity(n);
        for i in 0..n {
            for k in 0..n {
                v.set(i, k, eigen.eigenvectors[(i, k)]);
            }
        }
        (eigen.eigenvalues.iter().copied().collect(), v)
    }

    pub fn min_eigenvalue(&self) -> f64 {
        self.to_nalgebra()
            .symmetric_eigenvalues()
            .iter()
            .copied()
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
                // Weight relative to the direction's largest: in a large
                // matrix a direction spreads thinly over many indicators.
                let largest = (0..self.n)
                    .map(|i| vectors.get(i, k).abs())
                    .fold(0.0, f64::max);
                for (i, flag) in involved.iter_mut().enumerate() {
                    if vectors.get(i, k).abs() > 0.25 * largest {
                        *flag = true;
                    }
                }
            }
        }
        (0..self.n).filter(|&i| involved[i]).collect()
    }

    /// The nearest correlation matrix in the Frobenius norm (Higham 2002:
    /// alternating projections with Dykstra's correction), to within
    /// `NEAREST_TOLERANCE`, and made exactly valid at the end.
    pub fn nearest_correlation(&self) -> Matrix {
        let n = self.n;
        let mut y = self.to_nalgebra();
        let mut ds = nalgebra::DMatrix::zeros(n, n);
        let steps = (NEAREST_WORK / (n as f64).powi(3)).clamp(20.0, 200.0) as usize;
        for _ in 0..steps {
            let r = &y - &ds;
            let x = project_psd(&r);
            ds = &x - &r;
            let mut next = x;
            next.fill_diagonal(1.0);
            let change = (&next - &y).norm();
            y = next;
            if change <= NEAREST_TOLERANCE * y.norm() {
                break;
            }
        }
        // The iteration ends a little outside the valid set: project once
        // more, rescale to a unit diagonal, and pull the off-diagonal in by
        // 1e-9, which lifts every eigenvalue to at least about 1e-9.
        let x = project_psd(&y);
        let scale: Vec<f64> = (0..n).map(|i| 1.0 / x[(i, i)].max(1e-300).sqrt()).collect();
        let shrink = 1.0 - 1e-9;
        let mut out = Matrix::identity(n);
        for i in 0..n {
            for j in i + 1..n {
                let v = x[(i, j)] * scale[i] * scale[j] * shrink;
                out.set(i, j, v);
                out.set(j, i, v);
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
    fn nearest_correlation_matches_highams_example() {
        // Higham (2002), section 4: the nearest correlation matrix to this
        // tridiagonal matrix, to the four decimals published (NAG g02aa).
        let a = matrix(
            4,
            &[
                2.0, -1.0, 0.0, 0.0, -1.0, 2.0, -1.0, 0.0, 0.0, -1.0, 2.0, -1.0, 0.0, 0.0, -1.0,
                2.0,
            ],
        );
        let expected = [
            [1.0, -0.8084, 0.1916, 0.1068],
            [-0.8084, 1.0, -0.6562, 0.1916],
            [0.1916, -0.6562, 1.0, -0.8084],
            [0.1068, 0.1916, -0.8084, 1.0],
        ];
        let x = a.nearest_correlation();
        for (i, row) in expected.iter().enumerate() {
            for (j, &e) in row.iter().enumerate() {
                assert!((x.get(i, j) - e).abs() < 1e-4, "{i},{j}: {}", x.get(i, j));
            }
        }
    }

    #[test]
    fn large_invalid_matrices_are_repaired_into_valid_ones() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let n = 80;
        let mut m = Matrix::identity(n);
        for i in 0..n {
            for j in i + 1..n {
                let r = if rng.random() { 0.9 } else { -0.9 };
                m.set(i, j, r);
                m.set(j, i, r);
            }
        }
        assert!(!m.is_psd());
        assert!(!m.indices_in_negative_directions().is_empty());
        let x = m.nearest_correlation();
        assert!(x.is_psd(), "min eigenvalue {}", x.min_eigenvalue());
        for i in 0..n {
            assert_eq!(x.get(i, i), 1.0);
            for j in 0..n {
                assert_eq!(x.get(i, j), x.get(j, i));
                assert!(x.get(i, j).abs() <= 1.0);
            }
        }
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

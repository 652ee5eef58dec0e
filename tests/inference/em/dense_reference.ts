/**
 * Dense references for the EM-SBL tests, written independently of src/inference/em with ml-matrix:
 * Gaussian conditioning of x ~ N(0, Σ₀), y | x ~ N(A x, σ² I) in the textbook covariance form,
 * and log N(y | 0, σ² I + A Σ₀ Aᵀ) from a generic determinant and solve.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";

/** A seeded LCG-based normal generator, so fixtures do not depend on src/runtime/rng. */
export function normals(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** m × n row-major matrix of standard normals. */
export function randomMatrix(m: number, n: number, draw: () => number): Float64Array {
  return Float64Array.from({ length: m * n }, draw);
}

/** Row-major Float64Array → ml-matrix. */
export function toMatrix(data: ArrayLike<number>, rows: number, cols: number): Matrix {
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, data[i * cols + j]);
  return M;
}

/** (M + Mᵀ)/2: ml-matrix's Cholesky insists on exact symmetry. */
export function symmetric(M: Matrix): Matrix {
  return M.add(M.transpose()).mul(0.5);
}

/** Posterior of x given y for prior covariance S0 (n × n) and noise σ²: mean Σ₀Aᵀ C⁻¹ y, cov Σ₀ − Σ₀ Aᵀ C⁻¹ A Σ₀. */
export function denseConditioning(
  A: Matrix,
  y: number[],
  S0: Matrix,
  sigma2: number,
): { mean: number[]; cov: Matrix; logEvidence: number } {
  const m = A.rows;
  const C = symmetric(A.mmul(S0).mmul(A.transpose()).add(Matrix.eye(m).mul(sigma2)));
  const chol = new CholeskyDecomposition(C);
  const Y = Matrix.columnVector(y);
  const CiY = chol.solve(Y);
  const CiAS = chol.solve(A.mmul(S0));
  const mean = S0.mmul(A.transpose()).mmul(CiY).to1DArray();
  const cov = S0.sub(S0.mmul(A.transpose()).mmul(CiAS));
  const L = chol.lowerTriangularMatrix;
  let logDet = 0;
  for (let i = 0; i < m; i++) logDet += 2 * Math.log(L.get(i, i));
  const quad = Y.transpose().mmul(CiY).get(0, 0);
  const logEvidence = -0.5 * (m * Math.log(2 * Math.PI) + logDet + quad);
  return { mean, cov, logEvidence };
}

/** Diagonal matrix from a vector. */
export function diag(v: ArrayLike<number>): Matrix {
  const n = v.length;
  const M = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) M.set(i, i, v[i]);
  return M;
}

/** ∂ log N(y | 0, σ²I + A Γ Aᵀ) / ∂ log γ_i = γ_i (‖a_iᵀ C⁻¹ y‖² − a_iᵀ C⁻¹ a_i) / 2, for all i. */
export function gradLogGamma(A: Matrix, y: number[], gamma: ArrayLike<number>, sigma2: number): number[] {
  const m = A.rows;
  const C = symmetric(A.mmul(diag(gamma)).mmul(A.transpose()).add(Matrix.eye(m).mul(sigma2)));
  const chol = new CholeskyDecomposition(C);
  const CiY = chol.solve(Matrix.columnVector(y));
  const CiA = chol.solve(A);
  const out: number[] = [];
  for (let i = 0; i < A.columns; i++) {
    let ay = 0;
    let aa = 0;
    for (let r = 0; r < m; r++) {
      ay += A.get(r, i) * CiY.get(r, 0);
      aa += A.get(r, i) * CiA.get(r, i);
    }
    out.push(0.5 * gamma[i] * (ay * ay - aa));
  }
  return out;
}

/** ∂ log N(y | 0, σ²I + A Γ Aᵀ) / ∂ log σ² = σ² (‖C⁻¹y‖² − tr C⁻¹) / 2. */
export function gradLogNoise(A: Matrix, y: number[], gamma: ArrayLike<number>, sigma2: number): number {
  const m = A.rows;
  const C = symmetric(A.mmul(diag(gamma)).mmul(A.transpose()).add(Matrix.eye(m).mul(sigma2)));
  const chol = new CholeskyDecomposition(C);
  const CiY = chol.solve(Matrix.columnVector(y));
  const Ci = chol.solve(Matrix.eye(m));
  let q = 0;
  let t = 0;
  for (let r = 0; r < m; r++) {
    q += CiY.get(r, 0) ** 2;
    t += Ci.get(r, r);
  }
  return 0.5 * sigma2 * (q - t);
}

/** Complex numbers as [re, im] pairs for the complex references (plain loops, no shared code). */
type Cx = [number, number];
const cmul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cconj = (a: Cx): Cx => [a[0], -a[1]];

/** Solves C X = B (C m × m complex, B m × r complex) by Gaussian elimination with partial pivoting; returns X and log|det C|. */
export function complexSolve(C: Cx[][], B: Cx[][]): { X: Cx[][]; logAbsDet: number } {
  const m = C.length;
  const a = C.map((row) => row.map((v) => [v[0], v[1]] as Cx));
  const b = B.map((row) => row.map((v) => [v[0], v[1]] as Cx));
  let logAbsDet = 0;
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.hypot(...a[r][col]) > Math.hypot(...a[piv][col])) piv = r;
    [a[col], a[piv]] = [a[piv], a[col]];
    [b[col], b[piv]] = [b[piv], b[col]];
    const d = a[col][col];
    logAbsDet += Math.log(Math.hypot(d[0], d[1]));
    const dn = d[0] * d[0] + d[1] * d[1];
    const inv: Cx = [d[0] / dn, -d[1] / dn];
    for (let r = col + 1; r < m; r++) {
      const f = cmul(a[r][col], inv);
      for (let c = col; c < m; c++) {
        const t = cmul(f, a[col][c]);
        a[r][c] = [a[r][c][0] - t[0], a[r][c][1] - t[1]];
      }
      for (let c = 0; c < b[0].length; c++) {
        const t = cmul(f, b[col][c]);
        b[r][c] = [b[r][c][0] - t[0], b[r][c][1] - t[1]];
      }
    }
  }
  const X: Cx[][] = b.map((row) => row.map(() => [0, 0] as Cx));
  for (let r = m - 1; r >= 0; r--) {
    const d = a[r][r];
    const dn = d[0] * d[0] + d[1] * d[1];
    const inv: Cx = [d[0] / dn, -d[1] / dn];
    for (let c = 0; c < b[0].length; c++) {
      let s: Cx = [b[r][c][0], b[r][c][1]];
      for (let k = r + 1; k < m; k++) {
        const t = cmul(a[r][k], X[k][c]);
        s = [s[0] - t[0], s[1] - t[1]];
      }
      X[r][c] = cmul(s, inv);
    }
  }
  return { X, logAbsDet };
}

/**
 * Circular complex Gaussian conditioning for x ~ CN(0, diag γ), y = A x + e, e ~ CN(0, σ² I):
 * posterior mean, posterior variances and log CN(y | 0, C) = −m log π − log det C − yᴴ C⁻¹ y.
 * A is interleaved row-major (m × n), y interleaved.
 */
export function complexConditioning(
  A: Float64Array,
  m: number,
  n: number,
  y: Float64Array,
  gamma: ArrayLike<number>,
  sigma2: number,
): { mean: Float64Array; variance: Float64Array; logEvidence: number } {
  const a = (i: number, j: number): Cx => [A[2 * (i * n + j)], A[2 * (i * n + j) + 1]];
  const C: Cx[][] = [];
  for (let i = 0; i < m; i++) {
    C.push([]);
    for (let k = 0; k < m; k++) {
      let s: Cx = [i === k ? sigma2 : 0, 0];
      for (let j = 0; j < n; j++) {
        const t = cmul(a(i, j), cconj(a(k, j)));
        s = [s[0] + gamma[j] * t[0], s[1] + gamma[j] * t[1]];
      }
      C[i].push(s);
    }
  }
  // Right-hand sides: y and the columns of A.
  const B: Cx[][] = [];
  for (let i = 0; i < m; i++) {
    const row: Cx[] = [[y[2 * i], y[2 * i + 1]]];
    for (let j = 0; j < n; j++) row.push(a(i, j));
    B.push(row);
  }
  const { X, logAbsDet } = complexSolve(C, B);
  const mean = new Float64Array(2 * n);
  const variance = new Float64Array(n);
  let quad = 0;
  for (let i = 0; i < m; i++) quad += cmul(cconj([y[2 * i], y[2 * i + 1]]), X[i][0])[0];
  for (let j = 0; j < n; j++) {
    let my: Cx = [0, 0];
    let ma: Cx = [0, 0];
    for (let i = 0; i < m; i++) {
      const t = cmul(cconj(a(i, j)), X[i][0]);
      my = [my[0] + t[0], my[1] + t[1]];
      const u = cmul(cconj(a(i, j)), X[i][j + 1]);
      ma = [ma[0] + u[0], ma[1] + u[1]];
    }
    mean[2 * j] = gamma[j] * my[0];
    mean[2 * j + 1] = gamma[j] * my[1];
    variance[j] = gamma[j] - gamma[j] * gamma[j] * ma[0];
  }
  // det C of a Hermitian positive definite matrix is real and positive.
  return { mean, variance, logEvidence: -m * Math.log(Math.PI) - logAbsDet - quad };
}

/** A real operator view of a dense row-major matrix (only what the backend reads). */
export function denseOp(A: Float64Array, rows: number, cols: number) {
  return {
    rows,
    cols,
    kind: "dense",
    apply: (x: Float64Array, out: Float64Array) => {
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += A[i * cols + j] * x[j];
        out[i] = s;
      }
    },
    applyTranspose: (x: Float64Array, out: Float64Array) => {
      out.fill(0);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += A[i * cols + j] * x[i];
    },
    diagGram: (out: Float64Array) => {
      out.fill(0);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += A[i * cols + j] ** 2;
    },
    toDense: () => Float64Array.from(A),
  };
}

/** A complex operator view of an interleaved dense matrix (only toDense is read by the backend). */
export function complexDenseOp(A: Float64Array, rows: number, cols: number) {
  return {
    rows,
    cols,
    kind: "complex_dense",
    apply: () => {},
    applyAdjoint: () => {},
    diagGram: () => {},
    toDense: () => Float64Array.from(A),
  };
}

/** Kronecker product of row-major factors (real). */
export function kron(factors: { rows: number; cols: number; data: Float64Array }[]): Float64Array {
  let data = Float64Array.from(factors[0].data);
  let r = factors[0].rows;
  let c = factors[0].cols;
  for (let d = 1; d < factors.length; d++) {
    const B = factors[d];
    const out = new Float64Array(r * B.rows * c * B.cols);
    const ldo = c * B.cols;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < c; j++)
        for (let p = 0; p < B.rows; p++)
          for (let q = 0; q < B.cols; q++)
            out[(i * B.rows + p) * ldo + j * B.cols + q] = data[i * c + j] * B.data[p * B.cols + q];
    data = out;
    r *= B.rows;
    c *= B.cols;
  }
  return data;
}

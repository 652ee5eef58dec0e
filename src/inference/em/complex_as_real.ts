/**
 * Complex dictionaries as model data. A model's matrix data are real {@link LinearOperator}s,
 * and complex vectors in sprig are interleaved (re, im) pairs, so a complex m × n dictionary A
 * enters a model as the real 2m × 2n operator that maps an interleaved x to the interleaved A·x:
 * each complex entry a + ib becomes the 2 × 2 block [[a, −b], [b, a]]. Its transpose is the
 * realification of the conjugate transpose Aᴴ, so gradients and NUTS need nothing new, and
 * `fitEm` recognises the wrapper and hands the complex operator itself to the complex EM-SBL
 * kernels.
 *
 * @module
 */
import { ShapeError } from "../../core/errors.js";
import type { ComplexLinearOperator, LinearOperator } from "../../runtime/linear_operator.js";

/**
 * A complex operator seen as the real operator on interleaved vectors (2·rows × 2·cols).
 *
 * @example
 * ```ts
 * const A = new ComplexAsRealOperator(new ComplexDenseOperator(data, 8, 32));
 * compile(graph, { A, y }, registry); // y: 16 numbers, (re, im) interleaved
 * ```
 */
export class ComplexAsRealOperator implements LinearOperator {
  /** 2 · the complex operator's rows. */
  readonly rows: number;
  /** 2 · the complex operator's columns. */
  readonly cols: number;
  /** Always `'complex_as_real'`. */
  readonly kind = "complex_as_real";
  /** Result of the complex product before scaling (used when alpha ≠ 1 or beta ≠ 0). */
  private readonly out: Float64Array;
  /** Transposed-product buffer. */
  private readonly outT: Float64Array;
  /** diag(AᴴA) of the complex operator. */
  private readonly gram: Float64Array;

  /**
   * @param complex - the complex operator (interleaved input 2·cols, output 2·rows)
   * @example
   * ```ts
   * const A = new ComplexAsRealOperator(complexKron);
   * ```
   */
  constructor(readonly complex: ComplexLinearOperator) {
    if (
      typeof complex !== "object" ||
      complex === null ||
      typeof complex.apply !== "function" ||
      typeof complex.applyAdjoint !== "function"
    ) {
      throw new ShapeError({
        where: "ComplexAsRealOperator",
        what: "needs a ComplexLinearOperator",
        got: typeof complex,
        expected: "an object with apply and applyAdjoint (e.g. ComplexDenseOperator)",
      });
    }
    this.rows = 2 * complex.rows;
    this.cols = 2 * complex.cols;
    this.out = new Float64Array(this.rows);
    this.outT = new Float64Array(this.cols);
    this.gram = new Float64Array(complex.cols);
  }

  /**
   * y = alpha · A x + beta · y on interleaved vectors.
   *
   * @example
   * ```ts
   * A.apply(x, y); // x: 2·n numbers, y: 2·m numbers
   * ```
   */
  apply(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    check("apply", x, this.cols, y, this.rows);
    if (alpha === 1 && beta === 0) {
      this.complex.apply(x, y);
      return;
    }
    this.complex.apply(x, this.out);
    blend(this.out, y, alpha, beta);
  }

  /**
   * y = alpha · Aᵀ x + beta · y, where the real transpose is the realified Aᴴ.
   *
   * @example
   * ```ts
   * A.applyTranspose(r, g);
   * ```
   */
  applyTranspose(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    check("applyTranspose", x, this.rows, y, this.cols);
    if (alpha === 1 && beta === 0) {
      this.complex.applyAdjoint(x, y);
      return;
    }
    this.complex.applyAdjoint(x, this.outT);
    blend(this.outT, y, alpha, beta);
  }

  /**
   * Column sums of squares: both real columns of complex column j have Σᵢ |A_ij|².
   *
   * @example
   * ```ts
   * const g = new Float64Array(A.cols);
   * A.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    if (out.length !== this.cols) {
      throw new ShapeError({
        where: "ComplexAsRealOperator.diagGram",
        what: "output has the wrong length",
        got: String(out.length),
        expected: String(this.cols),
      });
    }
    this.complex.diagGram(this.gram);
    for (let j = 0; j < this.gram.length; j++) {
      out[2 * j] = this.gram[j];
      out[2 * j + 1] = this.gram[j];
    }
  }

  /**
   * The real 2m × 2n matrix, row-major: block (i, j) is [[a, −b], [b, a]] for A_ij = a + ib.
   *
   * @example
   * ```ts
   * const R = A.toDense(); // 4·m·n numbers
   * ```
   */
  toDense(): Float64Array {
    const c = this.complex.toDense();
    const m = this.complex.rows;
    const n = this.complex.cols;
    const out = new Float64Array(4 * m * n);
    const ld = 2 * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const a = c[2 * (i * n + j)];
        const b = c[2 * (i * n + j) + 1];
        out[2 * i * ld + 2 * j] = a;
        out[2 * i * ld + 2 * j + 1] = -b;
        out[(2 * i + 1) * ld + 2 * j] = b;
        out[(2 * i + 1) * ld + 2 * j + 1] = a;
      }
    }
    return out;
  }
}

function check(where: string, x: Float64Array, nx: number, y: Float64Array, ny: number): void {
  if (!(x instanceof Float64Array) || x.length !== nx || !(y instanceof Float64Array) || y.length !== ny) {
    throw new ShapeError({
      where: `ComplexAsRealOperator.${where}`,
      what: "vector lengths do not match the operator",
      got: `x: ${x?.length}, y: ${y?.length}`,
      expected: `x: ${nx}, y: ${ny} (interleaved re, im)`,
    });
  }
}

function blend(product: Float64Array, y: Float64Array, alpha: number, beta: number): void {
  if (beta === 0) for (let i = 0; i < y.length; i++) y[i] = alpha * product[i];
  else for (let i = 0; i < y.length; i++) y[i] = alpha * product[i] + beta * y[i];
}
